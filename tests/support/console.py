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
from support.provider import acme_usage

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
)
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
        await acme_usage()
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
