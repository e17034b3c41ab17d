"""Helpers for the subscription tests: a dispatcher wired like the app, a tickets router to be
refused, and a way to put a tenant on a given plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from bot.capabilities import all_routers as default_routers
from bot.clock import Clock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.outbox import OutboxSender
from bot.subscription.guard import EntitlementGuard
from bot.subscription.lifecycle import Term
from bot.subscription.plan import Plan
from bot.subscription.service import Billing
from bot.subscription.settings import Operator
from bot.subscription.store import term_fields
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import AppCredentials
from models.subscriptions import Subscription
from models.subscriptions import SubscriptionStatus as Status
from tests.support.updates import text_update

STANDARD_10 = Plan(edition="standard", seats=10, period="month")


def tickets_router() -> Router:
    """A stand-in for the work-order module's commands (module ``tickets``)."""
    router = Router("tests.tickets", title="工单", module="tickets")

    @router.command("新建工单")
    async def create_ticket(ctx: Context) -> str:
        """新建工单"""
        return f"已创建工单：{ctx.args}"

    return router


def crm_router() -> Router:
    router = Router("tests.crm", title="客户", module="crm")

    @router.command("查客户")
    async def find_customer(ctx: Context) -> str:
        """查客户"""
        return f"查找：{ctx.args}"

    return router


def with_operators(settings: Settings, *operators: str) -> Settings:
    ops = tuple(Operator(*op.split(":", 1)) for op in operators)
    return replace(settings, subscription=replace(settings.subscription, operators=ops))


def build_dispatcher(billing: Billing, clock: Clock) -> Dispatcher:
    routers = default_routers()
    # Module commands go before the subscription routers, as real capabilities will.
    routers[1:1] = [tickets_router(), crm_router()]
    guard = EntitlementGuard(billing)
    # As the app does: the guessing stage only considers modules the tenant has.
    return Dispatcher(
        routers,
        clock=clock,
        entitlement=guard,
        open_modules=guard.open_modules,
        deps={"billing": billing},
    )


async def say(
    dispatcher: Dispatcher, tenant: TenantInfo, body: str, user: str = "zhangsan"
) -> list[Reply]:
    """Everything the bot answers, to anyone; a UserFacingError is the reply it becomes."""
    try:
        return await dispatcher.feed(text_update(body, user), tenant)
    except UserFacingError as exc:
        return [Reply(exc.message)]


async def answer(
    dispatcher: Dispatcher, tenant: TenantInfo, body: str, user: str = "zhangsan"
) -> str:
    """The one reply to the person who wrote ``body``."""
    mine = [r.text for r in await say(dispatcher, tenant, body, user) if r.to_user in (None, user)]
    assert len(mine) == 1, mine
    return mine[0]


async def subscribe(
    billing: Billing,
    tenant_id: int,
    start: date,
    end: date,
    plan: Plan = STANDARD_10,
    **changes: object,
) -> Term:
    """Put the tenant on a paid ``plan`` for [start, end), replacing what it had."""
    term = Term(plan, Status.ACTIVE, False, start, end, highest_paid_seats=plan.seats)
    term = replace(term, **{"anchor_day": start.day, **changes})  # type: ignore[arg-type]
    now = billing.clock.now()
    await Subscription.filter(tenant_id=tenant_id).delete()
    await Subscription.create(
        tenant_id=tenant_id, **term_fields(term), created_at=now, updated_at=now
    )
    billing.cache.invalidate(tenant_id)
    return term


class RecordingClient:
    """Stands in for the WeCom client: records each message/send body."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send_message(
        self, creds: AppCredentials, message: Mapping[str, Any]
    ) -> dict[str, Any]:
        self.sent.append(dict(message))
        return {"errcode": 0, "errmsg": "ok"}

    def texts(self) -> list[tuple[str, str]]:
        return [(m["touser"], m["text"]["content"]) for m in self.sent]


def recording_sender(clock: Clock) -> tuple[OutboxSender, RecordingClient]:
    client = RecordingClient()
    return OutboxSender(client, TenantDirectory(), clock), client  # type: ignore[arg-type]
