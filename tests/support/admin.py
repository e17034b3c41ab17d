"""Helpers for the admin tests: group-bot updates and running the dispatcher as the inbox does."""

from __future__ import annotations

from itertools import count
from types import MappingProxyType

from tortoise.transactions import in_transaction

from bot.capabilities import all_routers as default_routers
from bot.clock import Clock
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.types import Channel, ChatType, Reply, Update
from bot.subscription.guard import EntitlementGuard
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from tests.support.updates import SENT_AT, text_update

GROUP = "wrk_group"
_ids = count(1)


async def admin_bot(billing: Billing, tenant: TenantInfo, clock: Clock) -> Dispatcher:
    """The app's dispatcher: every router, the entitlement guard, a trial subscription."""
    await billing.start_trial(tenant.id)
    guard = EntitlementGuard(billing)
    return Dispatcher(default_routers(), clock=clock, entitlement=guard, deps={"billing": billing})


def group_update(text: str, user: str = "zhangsan") -> Update:
    """A message in the admins' group that @-mentions the group bot (already stripped)."""
    return Update(
        tenant_key="acme",
        channel=Channel.AIBOT,
        key=f"aibot:{next(_ids)}",
        msg_type="text",
        created_at=SENT_AT,
        user_id=user,
        text=text,
        chat_type=ChatType.GROUP,
        chat_id=GROUP,
        fields=MappingProxyType({"reply_to": GROUP}),
    )


async def run(bot: Dispatcher, tenant: TenantInfo, update: Update) -> list[Reply]:
    """As the inbox runs a handler: inside a transaction of its own."""
    async with in_transaction():
        return await bot.feed(update, tenant)


async def say(bot: Dispatcher, tenant: TenantInfo, text: str, user: str = "zhangsan") -> str:
    """A 1:1 message; the one reply's text."""
    [reply] = await run(bot, tenant, text_update(text, user))
    return reply.text


async def say_in_group(
    bot: Dispatcher, tenant: TenantInfo, text: str, user: str = "zhangsan"
) -> str:
    [reply] = await run(bot, tenant, group_update(text, user))
    return reply.text
