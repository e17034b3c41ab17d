"""`scrm-bot orders sync TENANT`: reconcile a tenant's orders with WeCom 对外收款 now.

The same run the scheduler makes every few minutes; safe to run while the bot serves (every
bill and refund is stored once) and to run again after it stopped half way: it resumes at
the stored window and cursor. ``--since YYYY-MM-DD`` starts a new run from that day (UTC).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.tenant_sync import RESUMED, run_sync
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.orders.externalpay import BillSyncReport, sync_bills

DONE = (
    "synced 对外收款 of {key}: {bills} paid bills in {windows} windows ({pages} pages); "
    "{collected} matched to orders, {queued} waiting for their owner, {refunds} refunds{resumed}"
)
FORBIDDEN = (
    "WeCom refused 对外收款 to {key} (48002): add the app to 对外收款 → 可调用接口的应用. "
    "The scheduled sync tries again after {until:%Y-%m-%d %H:%M} UTC"
)


def _summary(key: str, report: BillSyncReport) -> str:
    if report.forbidden and report.blocked_until is not None:
        return FORBIDDEN.format(key=key, until=report.blocked_until.astimezone(UTC))
    return DONE.format(
        key=key,
        bills=report.bills,
        windows=report.windows,
        pages=report.pages,
        collected=report.collected,
        queued=report.queued,
        refunds=report.refunds,
        resumed=RESUMED if report.resumed else "",
    )


async def sync_orders(
    settings: Settings, key: str, clock: Clock, since: datetime | None = None
) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    return await run_sync(
        settings,
        key,
        clock,
        lambda client, tenant: sync_bills(client, tenant, clock, since=since),
        lambda report: _summary(key, report),
        f"对外收款 of {key}",
    )


def _day(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a day like 2026-11-01: {text!r}") from exc


def cmd_orders_sync(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key, since, clock = args.tenant, args.since, SystemClock()
    return with_database(settings, lambda: sync_orders(settings, key, clock, since))


def add_orders_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    orders = sub.add_parser("orders", help="the orders module (订单管理)")
    orders_sub = orders.add_subparsers(dest="orders_command", required=True)
    help_text = "reconcile orders with WeCom 对外收款 now (resumable)"
    sync = orders_sub.add_parser("sync", help=help_text, description=help_text)
    add_config_argument(sync)
    sync.add_argument("tenant", help="tenant key")
    sync.add_argument("--since", type=_day, default=None, help="start from this day (UTC)")
    sync.set_defaults(func=cmd_orders_sync)
