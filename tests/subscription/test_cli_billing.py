"""`scrm-bot subscription|order|revenue` as an operator runs them, against a SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from tortoise import Tortoise

from bot.cli.main import build_parser, main
from bot.clock import Clock, FrozenClock
from bot.config import load_settings
from bot.db import tortoise_config
from bot.subscription.orders import create_quote, place
from bot.subscription.plan import PlanChange
from bot.subscription.purchases import change
from bot.subscription.service import Billing
from bot.subscription.store import term_of
from models.outbox import OutboxMessage
from models.subscriptions import AuditLog, Subscription
from models.tenants import Tenant
from tests.core.test_cli import write_config

T = TypeVar("T")
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"

# The commands read the system clock, as production does: it stands at the test clock's instant.
pytestmark = pytest.mark.usefixtures("wall_clock")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    assert main(["migrate", "-c", str(path)]) == 0
    added = main(
        ["tenant", "add", "-c", str(path), "--key", "huaxia", "--corp-id", "wwhuaxia01"]
        + ["--name", "华夏科技", "--agent-id", "1000005", "--secret", "s", "--token", "t"]
        + ["--aes-key", AES_KEY, "--admin", "wangwu"]
    )
    assert added == 0
    return path


def run(config: Path, *argv: str) -> int:
    """``scrm-bot ARGV -c CONFIG``: every billing subcommand takes the option last."""
    return main([*argv, "-c", str(config)])


def in_database(config: Path, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work()`` with the config's database open, as another process would."""

    async def with_database() -> T:
        await Tortoise.init(config=tortoise_config(load_settings(config).database.url))
        try:
            return await work()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(with_database())


def test_every_billing_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (
        ["subscription", "show"],
        ["subscription", "set"],
        ["subscription", "extend"],
        ["order", "list"],
        ["order", "confirm"],
        ["revenue"],
    ):
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([*command, "--help"])
        assert done.value.code == 0
        assert "usage: scrm-bot" in capsys.readouterr().out


def test_show_set_and_extend_a_subscription(
    config: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(config, "subscription", "show", "huaxia") == 0
    shown = capsys.readouterr().out
    assert "status:     trial\n" in shown
    assert "plan:       标准版, 10 seats, 按月" in shown

    start = (clock.now() - timedelta(days=3)).date().isoformat()
    changed = run(
        config,
        "subscription",
        "set",
        "huaxia",
        "--edition",
        "售后服务版",
        "--seats",
        "20",
        "--modules",
        "知识库",
        "--activate-on",
        start,
        "--by",
        "wf",
    )
    assert changed == 0
    shown = capsys.readouterr().out
    assert "status:     active\n" in shown
    assert "plan:       售后服务版, 20 seats, 按月, 知识库" in shown
    assert f"period:     {start} → " in shown

    assert run(config, "subscription", "extend", "huaxia", "--periods", "2") == 0
    assert "prepaid:    2 more 月" in capsys.readouterr().out
    actors = in_database(
        config,
        lambda: AuditLog.filter(action__startswith="operator_").values_list("actor", flat=True),
    )
    assert actors == ["cli:wf", "cli"]


def test_mistakes_are_named(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(config, "subscription", "show", "nobody") == 1
    assert "no tenant 'nobody'" in capsys.readouterr().err
    assert run(config, "subscription", "set", "huaxia", "--edition", "旗舰版") == 1
    assert "unknown edition '旗舰版'; choose from: 标准版, 售后服务版" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(config, "subscription", "set", "huaxia", "--seats", "0")
    assert "at least 1" in capsys.readouterr().err
    assert run(config, "order", "confirm", "99") == 1
    assert "no order 99" in capsys.readouterr().err


async def _order_awaiting_payment(clock: Clock) -> int:
    """What an admin's 开通 工单 and 确认 leave behind."""
    billing = Billing(load_settings(Path("config.example.toml")).subscription, clock)
    tenant = await Tenant.get(key="huaxia")
    timezone = ZoneInfo(tenant.timezone)
    term = billing.current(term_of(await Subscription.get(tenant_id=tenant.id)), timezone)
    wanted = PlanChange(add_modules=frozenset({"tickets"}))
    purchase = change(billing.catalog, term, wanted, "开通 售后工单", billing.today(timezone))
    order = await create_quote(tenant.id, purchase, term, "wangwu", billing.clock.now())
    await place(billing, order, "wangwu", billing.clock.now())
    return order.id


def test_orders_are_listed_confirmed_once_and_counted_in_revenue(
    config: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    start = (clock.now() - timedelta(days=3)).date().isoformat()
    assert run(config, "subscription", "set", "huaxia", "--activate-on", start) == 0
    assert run(config, "order", "list") == 0
    assert "no orders" in capsys.readouterr().out
    order_id = in_database(config, lambda: _order_awaiting_payment(clock))

    assert run(config, "order", "list", "--tenant", "huaxia") == 0
    listing = capsys.readouterr().out
    assert f"{order_id}\thuaxia\tpending_payment\t¥" in listing
    assert "开通 售后工单\tcreated 2026-11-23 by wangwu\n" in listing
    assert run(config, "order", "confirm", str(order_id)) == 0
    assert f"order {order_id} paid and applied: 开通 售后工单" in capsys.readouterr().out
    assert run(config, "order", "confirm", str(order_id)) == 1
    assert "已生效，只有待付款的订单可以确认收款" in capsys.readouterr().err
    notices = in_database(config, lambda: OutboxMessage.all().values_list("recipient", flat=True))
    assert notices == ["wangwu"]  # the running bot's outbox sweep sends it

    assert run(config, "revenue") == 0
    report = capsys.readouterr().out
    assert "MRR: ¥1,390.00 from 1 paying subscriptions" in report  # 10 × (99 + 40)
    assert "  标准版\t¥990.00" in report
    assert "  售后工单\t¥400.00" in report
    assert "expiring in the next 30 days:\n  huaxia\tactive\tpaid through 2026-12-19" in report
