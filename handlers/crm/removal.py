"""删除客户 and 合并客户: both ask first and act on 确认. A deleted customer is archived (its
history kept, out of search and lists); a merge moves the first customer's history to the
second and archives the first. WeChat customers live in WeCom and are removed there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.crm import merging
from bot.crm.cards import render_card, render_list
from bot.crm.merging import archive_customer
from bot.crm.picking import NOT_FOUND, CustomerAction, begin, finish, viewer_of
from bot.crm.search import customer_in_tenant, search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import StateIs
from bot.dispatch.router import Router
from handlers.crm.edits import ensure_may_change, may_change
from models.crm.customers import Customer

router = Router(__name__, title="客户", module="crm")

CONFIRM_STATE = "crm_confirm"
CONFIRM_TTL = timedelta(minutes=10)
CONFIRM_WORDS = frozenset(
    {"确认", "确定", "是", "是的", "对", "好", "好的", "删", "删吧", "合并", "ok", "yes", "y"}
)
CANCEL_WORDS = frozenset(
    {
        "取消",
        "算了",
        "不用了",
        "不了",
        "不要了",
        "不删了",
        "不合并了",
        "不",
        "否",
        "no",
        "n",
        "cancel",
    }
)

DELETE_USAGE = "请写要删除的客户，例如：删除客户 张总"
MERGE_USAGE = "请按这个格式写：合并客户 张总 到 张建国（前一个的记录并入后一个，前一个归档）"
WECHAT_DELETE = "「{name}」是微信客户，要在企业微信里删除（删除好友后这里会自动更新），这里不能删。"
WECHAT_MERGE = (
    "「{name}」是微信客户，由企业微信管理，不能被合并掉。可以反过来：合并客户 {other} 到 {name}"
)
SAME_CUSTOMER = "「{name}」和「{other}」是同一个客户，不用合并。"
AMBIGUOUS = "「{query}」对应不止一个客户，请写手机号区分，例如：合并客户 13800138000 到 张建国"
ASK_DELETE = (
    "确定删除客户「{name}」{details}吗？删除后查不到它，动态保留。\n"
    "回复「确认」删除，回复「取消」放弃。"
)
ASK_MERGE = (
    "确定把「{source}」{source_details}合并到「{target}」{target_details}吗？"
    "{source} 的备注、标签、跟进和工单会移到 {target}，{source} 随后归档。\n"
    "回复「确认」合并，回复「取消」放弃。"
)
ASK_AGAIN = "请回复「确认」或「取消」。"
CANCELLED = "好的，已取消，客户没有改动。"
GONE = "这个客户已经不在了（可能刚被删除或合并）。"
DELETED = "已删除客户「{name}」。它的动态仍然保留，只是查不到了。"
MERGED = (
    "已把「{source}」合并到「{target}」：移过来备注 {notes} 条、标签 {tags} 个、"
    "跟进 {followups} 条、工单 {tickets} 张。\n{card}"
)

_WHO = r"(?P<who>[^\s，,：:的]{1,16}?)"
_SOURCE, _TARGET = r"(?P<source>[^\s，,：:]{1,16}?)", r"(?P<target>[^\s，,：:]{1,16}?)"


def _details(customer: Customer, ctx: Context) -> str:
    """（公司 · 电话）, the phone shown as the card would show it to this reader."""
    parts = [customer.company] if customer.company else []
    if customer.phone:
        parts.append(customer.phone if may_change(ctx, customer) else customer.phone[:3] + "****")
    return f"（{' · '.join(parts)}）" if parts else ""


async def ask_delete(ctx: Context, customer: Customer, rest: str) -> str:
    if customer.external_userid:
        raise UserFacingError(WECHAT_DELETE.format(name=customer.display_name))
    ensure_may_change(ctx, customer, "删除")
    assert ctx.conversation is not None
    data = {"action": "delete", "id": customer.id}
    await ctx.conversation.set(CONFIRM_STATE, data, ttl=CONFIRM_TTL)
    return ASK_DELETE.format(name=customer.display_name, details=_details(customer, ctx))


DELETE = CustomerAction("delete", ask_delete)


def parse_delete(args: str) -> tuple[str, str]:
    if not args.strip():
        raise UserFacingError(DELETE_USAGE)
    return args.strip(), ""


async def prepare_delete(ctx: Context) -> None:
    await begin(ctx, DELETE, parse_delete)


@router.command(
    "删除客户",
    "删客户",
    "delete customer",
    prepare=prepare_delete,
    slots=("who",),
    examples=(
        "删除客户 张总",
        "删客户 王经理",
        "delete customer 张总",
        "把张总删了",
        "把重复的王经理删掉",
        "删掉客户张建国",
        "帮我删一下客户 李姐",
        "张总这个客户删掉",
        "客户李总删除",
        "把刘总这个客户删除",
        "删除客户 13800138000",
        "这个张总是重复的，删掉",
        "把客户赵总删了吧",
        "删除重复客户 陈经理",
        "麻烦把孙姐删掉",
        "将周总从客户里删除",
        "吴老师这个客户不要了，删了吧",
        "删掉重复的郑总",
        "客户王总删掉",
        "把录重的张总删掉",
        "葛姐那条客户删一下",
        "柏工建重复了，删掉一个",
        "司老师录了两遍，多的那个删了吧",
    ),
    phrasings=(
        (
            r"(?:把|将)(?:客户|重复的|录重的)?\s*"
            + _WHO
            + r"(?:这个客户|的客户|从客户里)?(?:删掉|删了|删除|删)吧?",
            "删除客户 {who}",
        ),
        (r"(?:删掉|删除|删一下)(?:客户|重复客户|重复的)\s*(?P<who>\S{1,16})", "删除客户 {who}"),
        (r"(?:客户)?" + _WHO + r"这个客户(?:不要了)?[，,]?(?:删掉|删了|删除)吧?", "删除客户 {who}"),
        (r"客户" + _WHO + r"(?:删掉|删了|删除)", "删除客户 {who}"),
        (r"这个" + _WHO + r"是重复的[，,]?\s*(?:删掉|删了|删除)吧?", "删除客户 {who}"),
        (r"删除重复客户\s*(?P<who>\S{1,16})", "删除客户 {who}"),
        (
            # 「葛姐那条客户删一下」
            r"(?!.*(?:提醒|工单|标签))" + _WHO + r"(?:那条|这条|那个|这个)客户(?:记录|资料)?"
            r"(?:删一下|删掉|删了|删除|去掉)吧?",
            "删除客户 {who}",
        ),
        (
            # 「柏工建重复了，删掉一个」「司老师录了两遍，多的那个删了吧」
            r"(?!.*(?:提醒|工单|标签))"
            + _WHO
            + r"(?:这个客户)?(?:建|录|加|存|登记)?(?:重复了|重了|了两遍|了两次|"
            r"了两个|重复)[，,]?\s*(?:把)?(?:多的那个|多出来的那个|多的那条|重复的那个|重复的那条|其中一个|"
            r"后面那个|新的那个)?(?:删掉|删了|删除|删)(?:一个|一条)?吧?",
            "删除客户 {who}",
        ),
    ),
)
async def delete_customer(ctx: Context) -> str:
    """删除重复的客户（归档，动态保留），例如：删除客户 张总"""
    return await finish(ctx, DELETE)


def parse_merge(args: str) -> tuple[str, str]:
    text = args.strip()
    for word in ("合并到", "并入", "并到", "合到", "->", "→", "到"):
        source, found, target = text.partition(word)
        if found and source.strip() and target.strip():
            return source.strip(), target.strip().removesuffix("里").removesuffix("名下")
    raise UserFacingError(MERGE_USAGE)


async def _one(ctx: Context, query: str) -> Customer:
    """The customer ``query`` names: an exact name among several wins; still several asks
    for the phone (a merge names two customers, so no numbered choice here)."""
    found = await search_customers(ctx.tenant.id, query)
    exact = [c for c in found if c.name == query]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UserFacingError(NOT_FOUND.format(query=query))
    listed = render_list("", found, viewer_of(ctx), "").strip()
    raise UserFacingError(AMBIGUOUS.format(query=query) + "\n" + listed)


@router.command(
    "合并客户",
    "merge customers",
    slots=("source", "target"),
    fill="合并客户 {source} 到 {target}",
    examples=(
        "合并客户 张总 到 张建国",
        "合并客户 13800138000 到 张建国",
        "merge customers 张总 到 张建国",
        "把张总合并到张建国",
        "把王经理并到王建军",
        "把张总合并到张建国里",
        "张总合并到张建国",
        "将李姐合并到李梅",
        "帮我把刘总并入刘德华",
        "把重复的赵总合并到赵建",
        "麻烦把陈经理合到陈明名下",
        "张总和张建国是同一个人，把张总合并到张建国",
        "合并客户 孙姐 到 孙丽",
        "把周总并进周建华",
        "吴老师合并进吴强",
        "把郑总的记录合并到郑海",
        "把客户黄经理合并到黄磊",
        "把老王合并进王建军",
        "把张总归到张建国下面",
        "把李总的资料都并到李建国",
        "葛总和葛建华是同一个人，合到葛建华里",
        "滕经理和滕飞是一个人，帮我合并一下，留滕飞",
        "屈总跟屈志远重复了，合成一个，保留屈志远",
        "苗经理就是苗立新，合并过去",
        "骆姐那条并进骆红梅里",
        "把童总和童建军合并，保留童建军",
        "严经理跟严俊是一个客户",
        "邵总这条和邵明那条是重复的，帮我合起来",
        "这俩客户重复了：钱总、钱伟，合一下",
        "合并一下冯总和冯建",
        "把韩经理和韩冰合起来",
        "毛总这个客户重复了，并到毛建平里",
        "客户建重了，邵经理跟邵强合成一个",
        "合并重复客户 黎总 黎明",
    ),
    phrasings=(
        (
            r"(?:把|将)(?:客户|重复的)?"
            + _SOURCE
            + r"(?:的记录|的资料都?)?(?:合并到|合并进|并入|并到|并进|合到|合进|归到)\s*"
            + _TARGET
            + r"(?:那条|这条)?(?:里去|里|名下|下面)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「冯总合进冯涛，保留冯涛」「许经理那条重复了，合到许建明里去」
            _SOURCE + r"(?:那条|这条|这个客户|这位客户)?(?:重复了[，,]\s*)?"
            r"(?:合并到|合并进|并入|并到|并进|合进|合到)\s*"
            + _TARGET
            + r"(?:那条|这条)?(?:里去|里|名下)?(?:[，,]\s*(?:保留|留下|留)\S{1,16})?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「葛总和葛建华是同一个人，合到葛建华里」「…重复了，合成一个，保留葛建华」
            _SOURCE
            + r"(?:和|跟|与)\S+?(?:是同一个(?:人|客户)?|是一个(?:人|客户)|重复了|是重复的)[，,]\s*"
            r"(?:帮我|帮忙|麻烦)?(?:合并一下|合成一个|合一下|合并)?[，,]?\s*"
            r"(?:合到|合并到|并到|并进|合进|并入|留下|保留|留|以)"
            + _TARGET
            + r"(?:里|名下|这个|那条|那个|为准)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「把童总和童建军合并，保留童建军」
            r"(?:把|将)?"
            + _SOURCE
            + r"(?:和|跟|与)\S+?合并(?:一下)?[，,]\s*(?:保留|留下|留)"
            + _TARGET,
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「苗经理就是苗立新，合并过去」
            _SOURCE
            + r"就是"
            + _TARGET
            + r"[，,]\s*(?:帮我)?(?:合并过去|合过去|并过去|合并一下|合一下|合并|并一下)吧?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「王经理跟王建国是一个客户」「张总这条和张伟那条是重复的，帮我合起来」: the second
            # name is kept (people name the fuller record last); 确认 shows both before anything
            _SOURCE
            + r"(?:这条|那条)?(?:和|跟|与)"
            + _TARGET
            + r"(?:这条|那条)?(?:是(?:同)?一个(?:人|客户)|是重复的|重复了)"
            r"(?:[，,]\s*(?:帮我)?(?:合一下|合并一下|合起来|合并|合成一个)(?:吧)?)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「这两个客户重复了：李总、李明，合一下」「合并一下张总和张建国」: the second is kept
            r"(?:(?:这两个|这俩|这两位)?(?:客户)?(?:重复了|是重复的|重了|是一个人|是同一个人)[：:，,\s]*"
            r"|(?:帮我)?(?:合并|合)(?:一下)?(?:这两个客户|这俩客户|客户)?[：:\s]*)"
            + _SOURCE
            + r"(?:和|跟|与|、|\s)\s*"
            + _TARGET
            + r"(?:[，,]\s*(?:帮我)?(?:合一下|合并一下|合起来|合并|合成一个)(?:吧)?)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「把刘总和刘伟合一下」「赵总、赵刚这两个客户合并吧」
            r"(?:把|将)?"
            + _SOURCE
            + r"(?:和|跟|与|、)"
            + _TARGET
            + r"(?:这两个客户|这俩客户|这两个|这俩|两个客户)?"
            r"(?:合一下|合并一下|合起来|合并|合成一个)(?:吧)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「刘总跟刘伟是同一个客户，合并」
            _SOURCE + r"(?:和|跟|与)" + _TARGET + r"(?:是同一个客户|是同一家|是一家|是同一位)"
            r"(?:[，,]\s*(?:帮我)?(?:合一下|合并一下|合起来|合并|合成一个)(?:吧)?)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「张总这个客户重复了，并到张建国里」
            _SOURCE + r"(?:这个客户|这条|这个)?(?:建|录|加)?(?:重复了|重了)[，,]\s*(?:把它|帮我)?"
            r"(?:合并到|合并进|并到|并进|并入|合到|合进)\s*"
            + _TARGET
            + r"(?:里|名下|那条|这条)?(?:吧)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「客户建重了，张总跟张建国合成一个」
            r"(?:客户)?(?:建|录|加)?(?:重复了|重了)[，,：:]\s*"
            + _SOURCE
            + r"(?:和|跟|与|、)"
            + _TARGET
            + r"(?:合成一个|合一下|合并一下|合起来|合并)(?:吧)?",
            "合并客户 {source} 到 {target}",
        ),
        (
            # 「合并重复客户 张总 张建国」: two names, the second kept
            r"合并(?:一下)?(?:重复的?)?客户\s+" + _SOURCE + r"\s+" + _TARGET,
            "合并客户 {source} 到 {target}",
        ),
        (
            r"\S+?和\S+?是(?:同)?一个人[，,]\s*(?:把|将)?"
            + _SOURCE
            + r"(?:合并到|并到|并入)"
            + _TARGET,
            "合并客户 {source} 到 {target}",
        ),
    ),
)
async def merge_customers(ctx: Context) -> str:
    """把重复的客户并成一个，例如：合并客户 张总 到 张建国"""
    source_query, target_query = parse_merge(ctx.args)
    source, target = await _one(ctx, source_query), await _one(ctx, target_query)
    if source.id == target.id:
        raise UserFacingError(SAME_CUSTOMER.format(name=source_query, other=target_query))
    if source.external_userid:
        raise UserFacingError(
            WECHAT_MERGE.format(name=source.display_name, other=target.display_name)
        )
    ensure_may_change(ctx, source, "合并")
    ensure_may_change(ctx, target, "合并")
    assert ctx.conversation is not None
    data = {"action": "merge", "id": source.id, "into": target.id}
    await ctx.conversation.set(CONFIRM_STATE, data, ttl=CONFIRM_TTL)
    return ASK_MERGE.format(
        source=source.display_name,
        source_details=_details(source, ctx),
        target=target.display_name,
        target_details=_details(target, ctx),
    )


def _answer(ctx: Context) -> str:
    return ctx.update.text.strip().strip("。.!！").lower()


def answered(ctx: Context) -> bool:
    return _answer(ctx) in CONFIRM_WORDS | CANCEL_WORDS


async def _delete(ctx: Context, data: dict[str, Any]) -> str:
    customer = await customer_in_tenant(ctx.tenant.id, int(data["id"]))
    if customer is None:
        return GONE
    ensure_may_change(ctx, customer, "删除")
    await archive_customer(customer, ctx.clock.now(), ctx.employee)
    return DELETED.format(name=customer.display_name)


async def _merge(ctx: Context, data: dict[str, Any]) -> str:
    source = await customer_in_tenant(ctx.tenant.id, int(data["id"]))
    target = await customer_in_tenant(ctx.tenant.id, int(data["into"]))
    if source is None or target is None:
        return GONE
    ensure_may_change(ctx, source, "合并")
    ensure_may_change(ctx, target, "合并")
    moved = await merging.merge_customers(source, target, ctx.clock.now(), ctx.employee)
    card = await render_card(target, viewer_of(ctx))
    return MERGED.format(
        source=source.display_name,
        target=target.display_name,
        notes=moved.notes,
        tags=moved.tags,
        followups=moved.followups,
        tickets=moved.tickets,
        card=card,
    )


@router.message(StateIs(CONFIRM_STATE), answered)
async def confirm_customer_change(ctx: Context) -> str:
    assert ctx.conversation is not None
    data = dict(ctx.conversation.data)
    await ctx.conversation.clear()
    if _answer(ctx) in CANCEL_WORDS:
        return CANCELLED
    if data.get("action") == "merge":
        return await _merge(ctx, data)
    return await _delete(ctx, data)


@router.message(StateIs(CONFIRM_STATE))
async def reprompt_confirm(ctx: Context) -> str:
    """Anything no command took while a deletion or merge waits: say what answer it needs."""
    return ASK_AGAIN
