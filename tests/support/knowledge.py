"""Helpers for the knowledge-base tests: a tenant that has the module, and articles to ask."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.embedded import Embedded
from bot.knowledge.importing import parse_file, upsert_articles
from bot.subscription.plan import Plan
from tests.support.billing import subscribe

EXAMPLE_CSV = Path(__file__).parents[2] / "examples" / "knowledge.csv"
EXAMPLE_MD = Path(__file__).parents[2] / "examples" / "knowledge.md"
WITH_KNOWLEDGE = Plan("standard", 10, "month", modules=frozenset({"knowledge"}))


async def give_knowledge_module(embedded: Embedded, tenant_key: str = "acme") -> int:
    """Put the tenant on a paid plan with the knowledge module; returns its id."""
    billing = embedded.runtime.billing
    tenant = await embedded.runtime.tenants.get(tenant_key)
    assert billing is not None and tenant is not None
    today = billing.today(tenant.timezone)
    start, end = today - timedelta(days=10), today + timedelta(days=20)
    await subscribe(billing, tenant.id, start, end, WITH_KNOWLEDGE)
    return tenant.id


async def load_example(tenant_id: int, now: datetime, path: Path = EXAMPLE_CSV) -> None:
    parsed = parse_file(path)
    assert not parsed.errors
    report = await upsert_articles(tenant_id, parsed.rows, now)
    assert not report.errors
