"""The mixed, multi-tenant load of ``callback_load.py``: tenants, their plans and customers,
the messages members send, and which reply at the simulator answers which callback.

Tenant 0 is the bench's one tenant of the single-tenant phases (wechatpy's public test
vector); the others get keys derived from their number, so nothing here is a real secret.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

FIRST_CORP_ID = "wx49f0ab532d5d035a"
FIRST_TOKEN = "123456"
FIRST_AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
AGENT_ID = 1000002
# Seats enough for every member the load invents, so none is turned away for want of one.
PLAN_SEATS = 1_000

# One update in eight of each kind, in this order: help, natural-language commands,
# customer lookups on seeded customers, follow-up creation, a customer created (a phone
# number of its own each time, so it is a real creation), and text no route takes.
MIX = (
    "帮助",
    "查一下张总",
    "给张总加个备注：下个月才有预算",
    "下周三上午10点提醒我回访张总",
    "我的工单",
    "看看李总",
    "新建客户 王经理 {phone}",
    "嗯嗯好的哈哈",
)
# What each tenant's seeding member creates before anything is measured.
SEED_TEXTS = ("新建客户 张总 1390000{tenant:04d}", "新建客户 李总 1370000{tenant:04d}")
SEED_USER = "seed"
# A known member's ordinary command, for trace-sql.
ORDINARY_COMMAND = MIX[1]
# Each member's warm-up message: a command, so the member is stored and holds a seat (the
# first command takes one) before anything is measured.
WARM_UP_TEXT = "我的工单"


@dataclass(frozen=True, slots=True)
class BenchTenant:
    key: str
    corp_id: str
    token: str
    aes_key: str

    @property
    def callback_path(self) -> str:
        return f"/wecom/{self.key}/app"


def bench_tenant(index: int) -> BenchTenant:
    if index == 0:
        return BenchTenant("bench", FIRST_CORP_ID, FIRST_TOKEN, FIRST_AES_KEY)
    digest = hashlib.sha256(f"scrm-bench-{index}".encode()).digest()
    aes_key = base64.b64encode(digest).decode().rstrip("=")  # 43 characters, as WeCom's
    return BenchTenant(f"bench{index:04d}", f"wwbench{index:08d}", f"token{index}", aes_key)


def tenant_tables(count: int) -> list[dict[str, Any]]:
    """``count`` tenants as the config file's ``[[tenants]]`` tables."""
    tables = []
    for index in range(count):
        tenant = bench_tenant(index)
        app = {
            "agent_id": AGENT_ID,
            "secret": f"bench-secret-{index}",
            "token": tenant.token,
            "encoding_aes_key": tenant.aes_key,
        }
        name = "压测科技" if index == 0 else f"压测科技{index:04d}"
        tables.append({"key": tenant.key, "corp_id": tenant.corp_id, "name": name, "app": app})
    return tables


def member(tenant: int, number: int) -> str:
    """A member's userid, unique over all tenants so a reply's ``touser`` names its sender."""
    return f"t{tenant:04d}m{number:03d}"


def members(active_tenants: int, per_tenant: int) -> list[tuple[int, str]]:
    return [(t, member(t, m)) for m in range(per_tenant) for t in range(active_tenants)]


def mixed_text(index: int) -> str:
    # 13 + 9 digits: a fresh mobile number per update, within any run's request count.
    return MIX[index % len(MIX)].format(phone=f"13{index:09d}")


# Each tenant's member who creates the customers the mix refers to, before the clock starts.
SEEDING_MEMBER = 999


def seed_messages(active_tenants: int) -> list[tuple[int, str, str]]:
    """(tenant, userid, text): the customers every lookup and note refers to."""
    return [
        (t, member(t, SEEDING_MEMBER), text.format(tenant=t))
        for t in range(active_tenants)
        for text in SEED_TEXTS
    ]


# ---------------------------------------------------------------- the tenants' plans


async def put_on_full_plan(url: str, tenant_count: int) -> None:
    """Migrate the bot's database, write its tenants and give each a paid plan with every
    module the catalog sells (as bench/nlu_eval.py does), before the bot starts: a tenant
    with a subscription gets no trial, so every command in ``MIX`` is entitled."""
    from tortoise import Tortoise

    from bot.config import parse_settings
    from bot.db import apply_migrations, tortoise_config
    from bot.subscription.lifecycle import Term
    from bot.subscription.plan import Plan
    from bot.subscription.store import term_fields
    from bot.tenants import sync_tenants
    from models.subscriptions import Subscription
    from models.subscriptions import SubscriptionStatus as Status

    await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        settings = parse_settings({"tenants": tenant_tables(tenant_count)})
        modules = frozenset(m.code for m in settings.subscription.catalog.modules)
        now = datetime.now(UTC)
        today = now.date()  # a month around today in any tenant's timezone
        plan = Plan("standard", PLAN_SEATS, "month", modules=modules)
        term = Term(plan, Status.ACTIVE, False, today - timedelta(days=10), today + timedelta(20))
        for row in await sync_tenants(settings.tenants):
            await Subscription.create(
                tenant_id=row.id, **term_fields(term), created_at=now, updated_at=now
            )
    finally:
        await Tortoise.close_connections()


async def postgres_count(url: str, query: str) -> int:
    parts = urlsplit(url)
    conn = await asyncpg.connect(urlunsplit(parts._replace(scheme="postgresql")))
    try:
        return int(await conn.fetchval(query))
    finally:
        await conn.close()


async def postgres_counts(url: str) -> dict[str, dict[str, int]]:
    """Rows by status in the bot's inbox and outbox."""
    parts = urlsplit(url)
    conn = await asyncpg.connect(urlunsplit(parts._replace(scheme="postgresql")))
    try:
        counts: dict[str, dict[str, int]] = {}
        for table in ("inbox_update", "outbox_message"):
            rows = await conn.fetch(f"SELECT status, COUNT(*) FROM {table} GROUP BY status")
            counts[table] = {str(row[0]): int(row[1]) for row in rows}
        return counts
    finally:
        await conn.close()


# ---------------------------------------------------------------- replies to callbacks


@dataclass(frozen=True, slots=True)
class Sent:
    """One measured callback: who sent it and when (wall clock, as the simulator's)."""

    user: str
    at: float


@dataclass(frozen=True, slots=True)
class Replies:
    latencies: list[float]  # seconds, callback sent → its reply at the simulator
    unanswered: int
    last_reply_at: float | None


def reply_arrivals(records: Iterable[Mapping[str, Any]]) -> dict[str, list[float]]:
    """Arrival times at the simulator of the messages each member was sent, oldest first."""
    arrivals: dict[str, list[float]] = defaultdict(list)
    for record in records:
        body = record.get("body", {})
        if record.get("api") != "message/send" or record.get("dropped"):
            continue
        at = datetime.fromisoformat(record["at"]).timestamp()
        for user in str(body.get("touser", "")).split("|"):
            arrivals[user].append(at)
    for times in arrivals.values():
        times.sort()
    return arrivals


def match_replies(sent: Sequence[Sent], arrivals: Mapping[str, Sequence[float]]) -> Replies:
    """Every update in the mix has exactly one reply, and a member's updates are handled in
    order, so a member's k-th measured callback is answered by their k-th reply. Members
    are many and each sends seldom (every few seconds at 200/s), so even a reply out of
    order would be matched to a callback sent within milliseconds of its own."""
    by_user: dict[str, list[float]] = defaultdict(list)
    for item in sent:
        by_user[item.user].append(item.at)
    latencies: list[float] = []
    unanswered = 0
    last: float | None = None
    for user, times in by_user.items():
        replies = arrivals.get(user, ())
        for sent_at, reply_at in zip(sorted(times), replies, strict=False):
            latencies.append(reply_at - sent_at)
            last = reply_at if last is None else max(last, reply_at)
        unanswered += max(0, len(times) - len(replies))
    return Replies(sorted(latencies), unanswered, last)
