"""Customer groups and the corp tag library, kept in step with WeCom's callbacks
(change_external_chat, change_external_tag). The prepare steps fetch the fresh state from
WeCom; the handlers store it."""

from __future__ import annotations

import logging

from bot.crm.groups import dismiss_group, record_members, upsert_group
from bot.crm.tags import sync_corp_tags
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import CorpTagInfo, GroupChat, corp_tags, group_chat

logger = logging.getLogger(__name__)

router = Router(__name__, title="客户", module="crm")

CHAT, TAGS = "crm.group_chat", "crm.corp_tags"


async def fetch_chat(ctx: Context) -> None:
    ctx.deps[CHAT] = None
    if not ctx.update.chat_id:
        return
    client: WeComClient = ctx.deps["client"]
    try:
        ctx.deps[CHAT] = await group_chat(client, ctx.tenant.credentials, ctx.update.chat_id)
    except WeComAPIError as exc:
        logger.warning("groupchat/get %s failed: %s", ctx.update.chat_id, exc)


@router.event("change_external_chat", "create", "update", prepare=fetch_chat)
async def group_changed(ctx: Context) -> None:
    if not ctx.update.chat_id:
        return
    chat: GroupChat | None = ctx.deps.get(CHAT)
    group = await upsert_group(ctx.tenant.id, ctx.update.chat_id, chat, ctx.clock.now())
    await record_members(group, ctx.update.fields, ctx.update.created_at)


@router.event("change_external_chat", "dismiss")
async def group_dismissed(ctx: Context) -> None:
    if ctx.update.chat_id:
        await dismiss_group(ctx.tenant.id, ctx.update.chat_id, ctx.clock.now())


async def fetch_tags(ctx: Context) -> None:
    client: WeComClient = ctx.deps["client"]
    try:
        ctx.deps[TAGS] = await corp_tags(client, ctx.tenant.credentials)
    except WeComAPIError as exc:
        ctx.deps[TAGS] = None
        logger.warning("get_corp_tag_list for tenant %s failed: %s", ctx.tenant.key, exc)


@router.event("change_external_tag", prepare=fetch_tags)
async def tags_changed(ctx: Context) -> None:
    """Any change to the library (create, update, delete, shuffle): mirror all of it."""
    tags: list[CorpTagInfo] | None = ctx.deps.get(TAGS)
    if tags is not None:
        await sync_corp_tags(ctx.tenant.id, tags)
