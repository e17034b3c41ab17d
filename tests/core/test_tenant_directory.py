"""The tenant directory in front of every callback: a stranger probing keys costs no query."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.tenants import TenantDirectory, sync_tenants
from models.tenants import Tenant


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    seen: list[dict[str, object]] = []
    real = Tenant.get_or_none

    def counted(*args: object, **kwargs: object) -> object:
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(Tenant, "get_or_none", counted)
    return seen


async def test_unknown_keys_are_remembered_for_a_short_while(
    settings: Settings, queries: list[dict[str, object]]
) -> None:
    await sync_tenants(settings.tenants)
    ticker = Ticker()
    directory = TenantDirectory(unknown_ttl=10, monotonic=ticker)
    assert [await directory.get("nobody") for _ in range(50)] == [None] * 50
    assert len(queries) == 1
    ticker.now += 11
    assert await directory.get("nobody") is None
    assert len(queries) == 2
    acme = await directory.get("acme")
    assert acme is not None and acme.key == "acme"


async def test_the_unknown_key_cache_is_bounded(
    settings: Settings, queries: list[dict[str, object]]
) -> None:
    directory = TenantDirectory(unknown_limit=3, monotonic=Ticker())
    for key in ("a1", "a2", "a3", "a4"):
        assert await directory.get(key) is None
    assert await directory.get("a1") is None  # pushed out by a4: asked again
    assert await directory.get("a4") is None  # still remembered
    assert [q["key"] for q in queries] == ["a1", "a2", "a3", "a4", "a1"]


@pytest.mark.parametrize("key", ["k" * 33, "ACME", "acme\n", "../acme", ""])
async def test_a_key_no_tenant_can_have_costs_no_query(
    settings: Settings, queries: list[dict[str, object]], key: str
) -> None:
    assert await TenantDirectory().get(key) is None
    assert queries == []
