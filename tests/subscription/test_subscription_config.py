"""The [subscription] config table, and the snapshot cache that keeps the guard query-free."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, load_settings, parse_settings
from bot.subscription.catalog import load_catalog
from bot.subscription.lifecycle import trial_term
from bot.subscription.settings import Operator
from bot.subscription.snapshots import Snapshot, SnapshotCache

CATALOG = load_catalog()


def test_the_example_config_documents_every_key_with_its_default() -> None:
    subscription = load_settings(Path("config.example.toml")).subscription
    assert subscription.operators == ()
    assert subscription.renewal_notice_days == (30, 7, 3, 1, 0)
    assert (subscription.cancel_after_days, subscription.order_valid_days) == (30, 7)
    assert subscription.seat_usage_notice_percent == 90
    assert subscription.catalog.trial_days == 15
    assert parse_settings({}).subscription == subscription


def test_operators_notice_days_and_catalog_overrides_are_read(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.toml"
    packaged = Path("bot/subscription/catalog.toml").read_text(encoding="utf-8")
    catalog.write_text(packaged.replace("days = 15", "days = 21"), encoding="utf-8")
    settings = parse_settings(
        {
            "subscription": {
                "catalog_path": str(catalog),
                "catalog": {"editions": {"standard": {"price_per_seat": "89.00"}}},
                "operators": ["vendor:wangfang"],
                "renewal_notice_days": [1, 14],
            }
        }
    )
    subscription = settings.subscription
    assert subscription.catalog.trial_days == 21
    assert str(subscription.catalog.edition("标准版").price.monthly) == "89.00"
    assert subscription.operators == (Operator("vendor", "wangfang"),)
    assert subscription.is_operator("vendor", "wangfang")
    assert not subscription.is_operator("acme", "wangfang")
    assert subscription.renewal_notice_days == (14, 1)


@pytest.mark.parametrize(
    ("table", "path", "expected"),
    [
        ({"operator": []}, "subscription.operator", "one of the known keys"),
        ({"operators": ["wangfang"]}, "subscription.operators", '"tenant_key:userid"'),
        ({"renewal_notice_days": [7, 7]}, "subscription.renewal_notice_days", "distinct"),
        ({"renewal_notice_days": [-1]}, "subscription.renewal_notice_days", "0 to 366"),
        ({"cancel_after_days": 0}, "subscription.cancel_after_days", "from 1 to 3650"),
        ({"seat_usage_notice_percent": 120}, "subscription.seat_usage_notice_percent", "1 to 100"),
        ({"catalog": {"trial": {"days": "x"}}}, "subscription.catalog.trial.days", "integer"),
        ({"catalog_path": "/nowhere.toml"}, "subscription.catalog_path", "existing catalog"),
        ({"catalog": "cheap"}, "subscription.catalog", "a table"),
    ],
)
def test_mistakes_name_the_key(table: dict[str, Any], path: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"subscription": table})
    assert caught.value.path == path
    assert expected in caught.value.expected


# --- the snapshot cache ----------------------------------------------------------------------


class Loads:
    def __init__(self) -> None:
        self.count = 0
        self.now = 0.0

    async def load(self, tenant_id: int) -> Snapshot:
        self.count += 1
        await asyncio.sleep(0)
        return Snapshot(tenant_id, trial_term(CATALOG, date(2026, 11, 23)), frozenset())


async def test_a_snapshot_is_loaded_once_until_it_expires() -> None:
    loads = Loads()
    cache = SnapshotCache(loads.load, ttl=60, monotonic=lambda: loads.now)
    for _ in range(5):
        await cache.get(1)
    assert loads.count == 1
    loads.now = 61
    await cache.get(1)
    assert loads.count == 2
    assert len(cache) == 1


async def test_after_a_change_the_tenant_is_read_through_for_a_few_seconds() -> None:
    loads = Loads()
    cache = SnapshotCache(loads.load, settle=5, monotonic=lambda: loads.now)
    await cache.get(1)
    cache.invalidate(1)  # the change may not be committed yet
    await cache.get(1)
    await cache.get(1)
    assert loads.count == 3  # neither read was kept: either could predate the commit
    loads.now = 6
    await cache.get(1)
    await cache.get(1)
    assert loads.count == 4
    await cache.get(2)  # other tenants are not affected
    await cache.get(2)
    assert loads.count == 5
