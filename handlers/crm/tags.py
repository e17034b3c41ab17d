"""打标签 / 去标签: tags kept here and, for WeChat customers, in WeCom through mark_tag."""

from __future__ import annotations

import logging

from bot.crm.book import add_note
from bot.crm.picking import CustomerAction, begin, finish
from bot.crm.tags import (
    MAX_TAG_LENGTH,
    follower_for_tags,
    local_tag,
    tag_customer,
    untag_customer,
    wecom_tag_id,
)
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import mark_tag
from handlers.crm.phrasings import TAG_EXAMPLES, TAG_PHRASINGS, UNTAG_EXAMPLES, UNTAG_PHRASINGS
from models.crm.customers import Customer, NoteKind
from models.crm.tags import CorpTag

logger = logging.getLogger(__name__)

router = Router(__name__, title="客户", module="crm")

TAG_USAGE = "请按这个格式写：打标签 张三 重点客户（可以一次写几个标签，用空格隔开）"
UNTAG_USAGE = "请按这个格式写：去标签 张三 重点客户"
TAG_TOO_LONG = "标签「{tag}」太长了，最多 30 个字。"
TAGGED = "已给 {name} 打上标签：{tags}"
ALREADY_TAGGED = "{name} 已经有标签：{tags}"
UNTAGGED = "已去掉 {name} 的标签：{tags}"
NOT_TAGGED = "{name} 没有标签：{tags}"
WECOM_FAILED = "（企业微信里没有同步成功，标签先保存在这里）"
WECOM_STATUS = "crm.tags.wecom_ok"


def parse_tagging(args: str, usage: str) -> tuple[str, str]:
    parts = args.split()
    if len(parts) < 2:
        raise UserFacingError(usage)
    for tag in parts[1:]:
        if len(tag) > MAX_TAG_LENGTH:
            raise UserFacingError(TAG_TOO_LONG.format(tag=tag))
    return parts[0], " ".join(dict.fromkeys(parts[1:]))


async def _mark(ctx: Context, customer: Customer, add: list[str], remove: list[str]) -> bool:
    """Apply the change in WeCom too; False when WeCom refused (the local change still holds)."""
    client: WeComClient = ctx.deps["client"]
    userid = await follower_for_tags(customer, ctx.employee)
    if not customer.external_userid or userid is None or not (add or remove):
        return True
    try:
        await mark_tag(
            client, ctx.tenant.credentials, userid, customer.external_userid, add=add, remove=remove
        )
    except WeComAPIError as exc:
        logger.warning("mark_tag for customer %s failed: %s", customer.id, exc)
        return False
    return True


async def tag_in_wecom(ctx: Context, customer: Customer, rest: str) -> None:
    if not customer.external_userid:
        return
    client: WeComClient = ctx.deps["client"]
    ids = {name: await wecom_tag_id(client, ctx.tenant, name) for name in rest.split()}
    wanted = [tag_id for tag_id in ids.values() if tag_id]
    ctx.deps[WECOM_STATUS] = await _mark(ctx, customer, wanted, []) and all(ids.values())


async def untag_in_wecom(ctx: Context, customer: Customer, rest: str) -> None:
    names = rest.split()
    tag_ids = await CorpTag.filter(
        tenant_id=ctx.tenant.id, name__in=names, tag_id__isnull=False
    ).values_list("tag_id", flat=True)
    ctx.deps[WECOM_STATUS] = await _mark(ctx, customer, [], [str(t) for t in tag_ids])


def _wecom_note(ctx: Context) -> str:
    return "" if ctx.deps.get(WECOM_STATUS, True) else WECOM_FAILED


async def apply_tags(ctx: Context, customer: Customer, rest: str) -> str:
    now, added = ctx.clock.now(), []
    for name in rest.split():
        if await tag_customer(customer, await local_tag(ctx.tenant.id, name), now):
            added.append(name)
    if not added:
        return ALREADY_TAGGED.format(name=customer.display_name, tags="、".join(rest.split()))
    await add_note(customer, NoteKind.TAG, "、".join(added), now, ctx.employee)
    return TAGGED.format(name=customer.display_name, tags="、".join(added)) + _wecom_note(ctx)


async def remove_tags(ctx: Context, customer: Customer, rest: str) -> str:
    now, removed = ctx.clock.now(), []
    for name in rest.split():
        if await untag_customer(customer, name):
            removed.append(name)
    if not removed:
        return NOT_TAGGED.format(name=customer.display_name, tags="、".join(rest.split()))
    await add_note(customer, NoteKind.UNTAG, "、".join(removed), now, ctx.employee)
    return UNTAGGED.format(name=customer.display_name, tags="、".join(removed)) + _wecom_note(ctx)


TAG = CustomerAction("tag", apply_tags, tag_in_wecom)
UNTAG = CustomerAction("untag", remove_tags, untag_in_wecom)


async def prepare_tag(ctx: Context) -> None:
    await begin(ctx, TAG, lambda args: parse_tagging(args, TAG_USAGE))


async def prepare_untag(ctx: Context) -> None:
    await begin(ctx, UNTAG, lambda args: parse_tagging(args, UNTAG_USAGE))


@router.command(
    "打标签",
    prepare=prepare_tag,
    slots=("who", "tag"),
    examples=TAG_EXAMPLES,
    phrasings=TAG_PHRASINGS,
)
async def tag_command(ctx: Context) -> str:
    """给客户打标签，例如：打标签 张三 重点客户"""
    return await finish(ctx, TAG)


@router.command(
    "去标签",
    prepare=prepare_untag,
    slots=("who", "tag"),
    examples=UNTAG_EXAMPLES,
    phrasings=UNTAG_PHRASINGS,
)
async def untag_command(ctx: Context) -> str:
    """去掉客户的标签，例如：去标签 张三 重点客户"""
    return await finish(ctx, UNTAG)
