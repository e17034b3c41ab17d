"""`scrm-bot provider rollup [--day YYYY-MM-DD]`: rebuild the daily usage roll-ups from the
usage events, for every tenant (default: each tenant's yesterday in its own timezone).

A rebuilt day is exactly the sum of its events; days whose events are past
``[provider] usage_retention_days`` keep the roll-up they had and are better left alone.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.capabilities import all_routers
from bot.cli.common import add_config_argument, settings_of, with_database
from bot.clock import Clock, SystemClock
from bot.provider.rollup import owned_counter, roll_up_tenants
from bot.subscription.service import Billing

BUILT = "{day} {tenant}: {members} active members, {commands} commands, {refused} refused"


async def rebuild(billing: Billing, clock: Clock, day: date | None) -> int:
    """Rebuilds and prints one line per tenant. Returns the exit code."""
    rows = await roll_up_tenants(owned_counter(billing, all_routers()), clock.now(), day)
    for row in rows:
        await row.fetch_related("tenant")
        refused = sum(row.refused_modules.values()) + row.refused_seats
        line = BUILT.format(
            day=row.day.isoformat(),
            tenant=row.tenant.key,
            members=row.active_members,
            commands=row.commands,
            refused=refused,
        )
        sys.stdout.write(line + "\n")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a day like 2026-11-01: {text!r}") from exc


def cmd_provider_rollup(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    clock = SystemClock()
    billing = Billing(settings.subscription, clock)
    day = args.day
    return with_database(settings, lambda: rebuild(billing, clock, day))


def add_provider_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    provider = sub.add_parser("provider", help="the provider's view of its tenants' usage")
    provider_sub = provider.add_subparsers(dest="provider_command", required=True)
    help_text = "rebuild the daily usage roll-ups from the usage events"
    rollup = provider_sub.add_parser("rollup", help=help_text, description=help_text)
    add_config_argument(rollup)
    rollup.add_argument(
        "--day", type=_day, default=None, help="this day (default: each tenant's yesterday)"
    )
    rollup.set_defaults(func=cmd_provider_rollup)
