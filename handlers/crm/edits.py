"""修改客户: change a customer's phone, company, source or name, the way people say it
("把张总的电话改成13911112222", "张总公司改为星辰集团"). Only the owner or an admin may."""

from __future__ import annotations

from bot.crm.editing import FIELDS, NOTHING_CHANGED, apply_changes, parse_changes, parse_edit
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
    ),
)
async def edit_customer(ctx: Context) -> str:
    """修改客户的电话、公司、来源或名字，例如：修改客户 张总 电话 13911112222"""
    return await finish(ctx, EDIT)
