"""`scrm-bot calls secret TENANT` makes the webhook secret once, shows the same one again,
and replaces it only with --new."""

from __future__ import annotations

import pytest
from support.followups import MONDAY_10AM

from bot.cli.calls import rebuild_stats, webhook_secret
from bot.clock import FrozenClock
from bot.tenants import TenantInfo
from models.calls import CallDay, CallSettings


async def test_the_secret_is_made_once_and_renewed_on_request(
    tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock(MONDAY_10AM)
    assert await webhook_secret("acme", False, clock) == 0
    first = (await CallSettings.get(tenant_id=tenant.id)).webhook_secret
    assert len(first) >= 40 and first in capsys.readouterr().out
    assert await webhook_secret("acme", False, clock) == 0
    assert (await CallSettings.get(tenant_id=tenant.id)).webhook_secret == first
    assert await webhook_secret("acme", True, clock) == 0
    assert (await CallSettings.get(tenant_id=tenant.id)).webhook_secret != first
    assert await webhook_secret("nobody", False, clock) == 1
    assert "no tenant 'nobody'" in capsys.readouterr().err


async def test_rebuild_stats_rewrites_the_daily_table_from_the_log(
    tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock(MONDAY_10AM)
    await CallDay.create(
        tenant_id=tenant.id, member_id=0, day=MONDAY_10AM.date(), calls=9, updated_at=MONDAY_10AM
    )
    assert await rebuild_stats("acme", clock) == 0
    assert "0 rows" in capsys.readouterr().out
    assert not await CallDay.filter(tenant_id=tenant.id).exists()
    assert await rebuild_stats("nobody", clock) == 1
