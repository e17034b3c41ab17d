"""修改客户: change a customer's phone, company, source or name, the way people say it
("把张总的电话改成13911112222", "张总公司改为星辰集团"). Only the owner or an admin may."""

from __future__ import annotations

from bot.crm.editing import (
    FIELDS,
    LABELS,
    NOTHING_CHANGED,
    apply_changes,
    parse_changes,
    parse_edit,
)
from bot.crm.picking import CustomerAction, begin, finish
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from models.crm.customers import Customer

router = Router(__name__, title="客户", module="crm")

NOT_YOURS = "「{name}」不是你负责的客户：只有负责人或管理员能{verb}。"
EDITED = "已修改 {name}：\n{lines}"
WECHAT_NAME = "「{name}」是微信客户，名字来自企业微信，请在企业微信里改备注名。"

_FIELD = "(?P<field>" + "|".join(FIELDS) + ")"  # longest words first
_TO = r"(?:改成|改为|改一下成|换成|换为|更新成|更新为|修改成|修改为|变成|变为|写成|设成|设为)了?"
_WHO = r"(?P<who>[^\s，,：:的]{1,16}?)"
# Each field's words, and the word the precise form uses for it.
_WORDS_OF = {
    label: "(?:" + "|".join(w for w, f in FIELDS.items() if f == field) + ")"
    for field, label in LABELS.items()
}
_WRONG = r"(?:变了|换了|不对|错了|录错了|填错了|写错了|记错了|搞错了|有误)"
_RIGHT = r"(?:应该是|改成|改为|换成|现在是|正确的是|新的是|新的?(?:号码?|手机号?|电话)(?:是)?)"
_FIX_IT = r"(?:改一下|换一下|更新一下|改下|换下|更新下|改了吧|改过来|也改一下|也更新一下)"


def _said_as(label: str) -> tuple[tuple[str, str], ...]:
    """The ways a change of one field is told rather than ordered: 「…电话变了，改成…」,
    「…的手机号改一下 …」."""
    words = _WORDS_OF[label]
    return (
        (
            # 「童总的来源应该是转介绍，改一下」
            _WHO + r"的?" + words + r"应该是(?P<value>[^\s，,]+?)[，,]?\s*(?:帮我)?" + _FIX_IT,
            f"修改客户 {{who}} {label} {{value}}",
        ),
        (
            _WHO
            + r"的?"
            + words
            + _WRONG
            + r"[，,\s]*(?:了)?[，,\s]*"
            + _RIGHT
            + r"[：:\s]*(?P<value>.+)",
            f"修改客户 {{who}} {label} {{value}}",
        ),
        (
            _WHO
            + r"的?"
            + words
            + r"(?:帮我)?"
            + _FIX_IT
            + r"[，,：:\s]*(?:改成|换成|为)?\s*"
            + r"(?:新的?(?:号码?|手机号?|电话)(?:是)?)?\s*(?P<value>.+)",
            f"修改客户 {{who}} {label} {{value}}",
        ),
    )


_TOLD_CHANGES = (
    *_said_as("电话"),
    *_said_as("公司"),
    *_said_as("来源"),
    *_said_as("名字"),
    (
        # 「甘经理换号了，新手机 138…」
        _WHO
        + r"换(?:了)?(?:号|手机号?|电话|号码)了?[，,\s]*(?:新的?)?(?:手机号?|号码|电话)?(?:是)?"
        r"[：:\s]*(?P<value>[0-9].+)",
        "修改客户 {who} 电话 {value}",
    ),
    (
        # 「霍老师跳槽去了明德教育，公司改一下」「程经理现在在四海物流了，更新下公司」
        _WHO + r"(?:跳槽|换工作|调|已经|现在)?(?:去了|到了|去|到|在)(?P<value>[^\s，,]{2,30}?)"
        r"(?:上班|工作|那边)?了?[，,]\s*(?:帮我)?(?:把)?(?:(?:公司|单位)(?:帮我)?" + _FIX_IT + r"|"
        r"(?:改|更新|换)(?:一下|下)?(?:他的|她的)?(?:公司|单位))",
        "修改客户 {who} 公司 {value}",
    ),
    (
        # 「童总换了新公司，叫星河科技，帮我改一下」
        _WHO
        + r"换了?(?:新的?)?(?:公司|单位|工作)[，,]\s*(?:叫|是|去了|在)(?P<value>[^\s，,]{2,30}?)"
        r"(?:[，,]\s*(?:帮我)?(?:把公司)?" + _FIX_IT + r")?",
        "修改客户 {who} 公司 {value}",
    ),
    (
        # 「包经理全名叫包志强，名字帮我改下」
        _WHO
        + r"(?:的)?(?:全名|真名|大名|本名|名字)(?:叫|是)(?P<value>[^\s，,]{1,16}?)[，,]\s*(?:把)?"
        r"(?:名字)?(?:帮我)?" + _FIX_IT,
        "修改客户 {who} 名字 {value}",
    ),
)


def may_change(ctx: Context, customer: Customer) -> bool:
    """Only the customer's owner or an admin changes, deletes or merges it."""
    me = ctx.employee
    return ctx.is_admin or (me is not None and customer.owner_id == me.id)


def ensure_may_change(ctx: Context, customer: Customer, verb: str) -> None:
    if not may_change(ctx, customer):
        raise UserFacingError(NOT_YOURS.format(name=customer.display_name, verb=verb))


async def edit_fields(ctx: Context, customer: Customer, rest: str) -> str:
    ensure_may_change(ctx, customer, "修改")
    changes = parse_changes(rest)
    if customer.external_userid and any(c.field == "name" for c in changes):
        raise UserFacingError(WECHAT_NAME.format(name=customer.display_name))
    name = customer.display_name
    lines = await apply_changes(customer, changes, ctx.clock.now(), ctx.employee)
    if not lines:
        first = changes[0]
        return NOTHING_CHANGED.format(name=name, label=first.label, value=first.value)
    return EDITED.format(name=name, lines="\n".join(lines))


EDIT = CustomerAction("edit", edit_fields)


async def prepare_edit(ctx: Context) -> None:
    await begin(ctx, EDIT, parse_edit)


@router.command(
    "修改客户",
    "编辑客户",
    "edit customer",
    prepare=prepare_edit,
    slots=("who", "field", "value"),
    examples=(
        "修改客户 张总 电话 13911112222",
        "编辑客户 王经理 公司 上海远航贸易",
        "修改客户 李姐 来源 展会",
        "把张总的电话改成13911112222",
        "张总公司改为星辰集团",
        "把王经理的手机号换成 139 1234 5678",
        "帮我把李姐的公司改成华夏银行",
        "刘总的电话改一下成13700137000",
        "张建国的来源改成老客户介绍",
        "把赵总的号码更新为13600136000",
        "王经理换手机号了，新号码13811112222",
        "李总的单位改为远航集团",
        "将陈经理的公司名改为星辰科技",
        "孙姐手机号改成13522223333",
        "麻烦把周总的名字改成周建华",
        "张总的渠道改成抖音",
        "修改客户 13800138000 公司 星辰集团",
        "把吴老师的电话改为010-88886666",
        "edit customer 张总 电话 13911112222",
        "把郑总公司改成郑氏实业",
        "黄经理的联系电话改为13400134000",
        "贺总电话换了，新的是13522220000",
        "房经理换号了，新号码 137 0000 1111",
        "邵工的手机号改一下 13688880000",
        "霍老师跳槽去了明德教育，公司改一下",
        "程经理现在在四海物流了，帮我更新下公司",
        "汪总来源填错了，应该是展会",
        "包经理全名叫包志强，名字帮我改下",
        "翁姐号码录错了，应该是139 0000 2222",
        "戴总的公司写错了，应该是宏远集团",
        "童总换了新公司，叫星河科技，帮我改一下",
        "童总的来源应该是转介绍，改一下",
    ),
    phrasings=(
        (
            r"(?:把|将)" + _WHO + r"的?" + _FIELD + r"\s*" + _TO + r"\s*(?P<value>.+)",
            "修改客户 {who} {field} {value}",
        ),
        (
            _WHO + r"的?" + _FIELD + r"\s*" + _TO + r"\s*(?P<value>.+)",
            "修改客户 {who} {field} {value}",
        ),
        (
            _WHO
            + r"换(?:了)?"
            + _FIELD
            + r"了?[，,\s]*(?:新的?)?(?:号码?|号码是|是)?\s*(?P<value>.+)",
            "修改客户 {who} {field} {value}",
        ),
        *_TOLD_CHANGES,
    ),
)
async def edit_customer(ctx: Context) -> str:
    """修改客户的电话、公司、来源或名字，例如：修改客户 张总 电话 13911112222"""
    return await finish(ctx, EDIT)
