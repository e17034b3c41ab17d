"""`scrm-bot erp check TENANT`: the ledger recomputed against the balances, from the command
line (exit 0 when they agree, 2 when they do not, 1 for an unknown tenant)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.erp import product

from bot.cli.erp import check_tenant
from bot.cli.main import build_parser
from bot.config import Settings
from bot.erp.stock import Move, hold, post
from bot.erp.warehouses import default_warehouse
from bot.tenants import TenantInfo
from models.erp import MoveKind, StockBalance, StockMove

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def test_the_check_reports_agreement_and_each_kind_of_difference(
    settings: Settings, tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.STOCK_IN)], None, NOW)
    await post(1, [Move(item, place, -4, MoveKind.ISSUE)], None, NOW)
    assert await check_tenant(settings, "acme") == 0
    assert capsys.readouterr().out == "stock of acme: 1 balances and 2 ledger rows agree\n"

    await StockBalance.all().update(on_hand=9)
    first = await StockMove.all().order_by("id").first()
    assert first is not None
    await StockMove.filter(id=first.id).update(balance_after=11)
    assert await check_tenant(settings, "acme") == 2
    assert capsys.readouterr().out == (
        "stock of acme: 2 problems in 1 balances and 2 ledger rows\n"
        "  A4纸 @ 总仓: on hand 9, ledger sum 6, last balance after 6\n"
        f"  1 ledger rows whose balance after is not the running sum (first ids: {first.id})\n"
    )
    assert await check_tenant(settings, "nope") == 1
    assert "no tenant 'nope'" in capsys.readouterr().err


async def test_the_check_reports_reserved_that_the_holds_do_not_add_up_to(
    settings: Settings, tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A balance's reserved must equal what orders' reservations hold there; the stock
    itself (on_hand, the ledger) agrees, so the hold is the one problem reported."""
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.STOCK_IN)], None, NOW)
    assert await hold(1, item.id, place.id, 3, NOW) == (10, 3)
    assert await check_tenant(settings, "acme") == 2
    assert capsys.readouterr().out == (
        "stock of acme: 1 problems in 1 balances and 1 ledger rows\n"
        "  A4纸 @ 总仓: reserved 3, orders' reservations hold 0\n"
    )


def test_the_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["erp", "check", "--help"])
    assert done.value.code == 0
    assert "usage: scrm-bot erp check" in capsys.readouterr().out
