"""The operator console's fixture: on Monday 2026-11-23 10:00 in Shanghai, acme (艾克米科技)
is busy and paid ¥1,200 for November to February; the other client, whose name tries to
inject a script, pays ¥310 for October and ¥300 for November, has not used the bot and renews
in a week. wangwu is acme's operator; lisi is not."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

import aiohttp
from support.billing import subscribe, with_operators
from support.calls import call_chat
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
)
from models.provider import Outcome, TenantDailyUsage, UsageEvent
from models.subscriptions import Order, OrderKind, OrderStatus
from models.tenants import Tenant

MONDAY = date(2026, 11, 23)
OTHER_NAME = "<script>alert(1)</script>远航贸易"
LINK = re.compile(r"https?://\S+/console/login/([A-Za-z0-9_-]+)")


async def order(
    tenant_id: int,
    total: str,
    start: date,
    end: date | None,
    kind: OrderKind = OrderKind.RENEWAL,
    status: OrderStatus = OrderStatus.APPLIED,
) -> None:
    paid_at = datetime.combine(start, MONDAY_10AM.timetz()) - timedelta(days=1)
    paid = status in (OrderStatus.PAID, OrderStatus.APPLIED)
    await Order.create(
        tenant_id=tenant_id,
        kind=kind,
        status=status,
        summary="续费",
        request={},
        basis={},
        total=Decimal(total),
        effective_on=start,
        ends_on=end,
        created_by="admin",
        created_at=paid_at,
        expires_at=paid_at + timedelta(days=7),
        paid_at=paid_at if paid else None,
    )


async def usage() -> None:
    """acme: 7 members active this month, 100 commands yesterday and 80 on the 8th, a locked
    module asked for 3 times."""
    for n in range(7):
        await UsageEvent.create(
            tenant_id=1,
            userid=f"u{n}",
            capability="calls",
            module="callcenter",
            intent="calls.my_calls",
            outcome=Outcome.OK,
            at=MONDAY_10AM - timedelta(days=n * 3),
        )
    for n in range(3):
        await UsageEvent.create(
            tenant_id=1,
            userid="u1",
            capability="installation",
            module="installation",
            intent="installation.book_installation",
            outcome=Outcome.REFUSED_MODULE,
            at=MONDAY_10AM - timedelta(days=n),
        )
    for back, commands, active, used in (
        (1, 100, 5, {"calls": 1, "crm": 1}),
        (15, 80, 4, {"tickets": 1}),
    ):
        await TenantDailyUsage.create(
            tenant_id=1,
            day=MONDAY - timedelta(days=back),
            commands=commands,
            active_members=active,
            capabilities_used=len(used),
            capabilities_owned=8,
            by_capability=used,
            built_at=MONDAY_10AM,
        )


async def announcement() -> Announcement:
    """Published last Friday 15:30 Shanghai time, delivered to 3 admins, read by 1."""
    published = MONDAY_10AM - timedelta(days=2, hours=18, minutes=30)
    made = await Announcement.create(
        title="4.2 版上线 <b>",
        body="新功能",
        author="acme:wangwu",
        status=AnnouncementStatus.PUBLISHED,
        publish_at=published,
        published_at=published,
        delivered=True,
        created_at=published,
    )
    for tenant_id, who in ((1, "zhangsan"), (2, "a1"), (2, "a2")):
        await AnnouncementDelivery.create(
            announcement=made, tenant_id=tenant_id, recipient=who, sent_at=published
        )
    await AnnouncementRead.create(announcement=made, tenant_id=2, userid="a1", read_at=published)
    await Announcement.create(
        title="草稿一条", body="…", author="acme:wangwu", created_at=published
    )
    return made


@asynccontextmanager
async def console_chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(with_operators(settings, "acme:wangwu"), clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        await subscribe(
            billing, 2, date(2026, 11, 1), date(2026, 12, 1), Plan("standard", 5, "month")
        )
        await Tenant.filter(id=2).update(name=OTHER_NAME)
        await order(1, "1200.00", date(2026, 11, 1), date(2027, 3, 1))  # 120 days: ¥300 in Nov
        await order(2, "310.00", date(2026, 10, 1), date(2026, 11, 1))
        await order(2, "300.00", date(2026, 11, 1), date(2026, 12, 1))
        await order(2, "500.00", date(2026, 11, 10), None, kind=OrderKind.SERVICE)  # one-off
        await order(2, "999.00", date(2026, 11, 1), None, status=OrderStatus.CANCELLED)
        await usage()
        await announcement()
        yield chat


async def login_token(chat: Chat, user: str = "wangwu") -> str:
    [reply] = await chat.say(user, "控制台")
    found = LINK.search(reply)
    assert found is not None, reply
    return found.group(1)


def browser_session(chat: Chat) -> aiohttp.ClientSession:
    """Keeps cookies, as a browser would (unsafe: the host is an IP)."""
    return aiohttp.ClientSession(chat.embedded.bot_url, cookie_jar=aiohttp.CookieJar(unsafe=True))
