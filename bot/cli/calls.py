"""`scrm-bot calls secret TENANT`: the key a telephony platform signs call webhooks with.
`scrm-bot calls sync TENANT`: pull WeCom 公费电话 records now, as the scheduler does.
`scrm-bot calls rebuild-stats TENANT`: rebuild the daily call table from the call log.
`scrm-bot calls import TENANT FILE`: call records from a CSV export (see bot.calls.importing).

``secret`` shows the tenant's secret, making one the first time; ``--new`` replaces it (the
old one stops working at once). The platform then posts to ``/calls/TENANT`` as the README
shows. ``sync`` re-reads the last two days (``--since YYYY-MM-DD`` reaches further back);
reading a call twice stores it once. ``rebuild-stats`` is never needed in normal running
(the table is kept as calls end); it repairs the table after rows were edited by hand.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.calls.days import rebuild
from bot.calls.dial_sync import DialReport, sync_dial
from bot.calls.importing import parse_file as parse_calls
from bot.calls.importing import store_rows
from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.tenant_sync import run_sync
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.knowledge.importing import ImportFileError
from bot.tenants import TenantDirectory, sync_tenants
from models.calls import CallSettings
from models.tenants import Tenant

SHOWN = "webhook secret of {key}: {secret}\nPOST calls to /calls/{key} (see README, 呼叫中心)"
UNKNOWN = "no tenant {key!r} (check [[tenants]] in the config)"
SYNCED = "synced 公费电话 of {key}: {records} records, {legs} calls to outside numbers, {new} new"
FORBIDDEN = "WeCom refused 公费电话 to {key} (48002): add the app to 公费电话 → 可调用接口的应用"


async def webhook_secret(key: str, renew: bool, clock: Clock) -> int:
    """Prints the secret; the exit code is 1 for an unknown tenant."""
    tenant = await Tenant.get_or_none(key=key)
    if tenant is None:
        print(UNKNOWN.format(key=key), file=sys.stderr)
        return 1
    found, _ = await CallSettings.get_or_create(
        tenant_id=tenant.id, defaults={"updated_at": clock.now()}
    )
    if renew or not found.webhook_secret:
        found.webhook_secret = secrets.token_urlsafe(32)
        found.updated_at = clock.now()
        await found.save()
    print(SHOWN.format(key=key, secret=found.webhook_secret))
    return 0


IMPORTED = "imported {file} into {key}: {stored} calls, {new} new, {rejected} lines rejected"


async def import_calls(settings: Settings, key: str, path: Path, clock: Clock) -> int:
    """Exit code 0, or 1 when the file could not be read or some lines were rejected."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        print(UNKNOWN.format(key=key), file=sys.stderr)
        return 1
    try:
        found = parse_calls(path, tenant.timezone)
    except (ImportFileError, OSError) as exc:
        print(f"cannot import {path}: {exc}", file=sys.stderr)
        return 1
    await store_rows(tenant.id, tenant.timezone, found, clock.now())
    print(
        IMPORTED.format(
            file=path, key=key, stored=found.stored, new=found.new, rejected=len(found.errors)
        )
    )
    for error in sorted(found.errors, key=_line_number):
        print(f"  {error}", file=sys.stderr)
    return 1 if found.errors else 0


def _line_number(error: str) -> int:
    number = error.removeprefix("line ").split(":", 1)[0]
    return int(number) if number.isdigit() else 0


def cmd_calls_import(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key, path = args.tenant, Path(args.file)
    return with_database(settings, lambda: import_calls(settings, key, path, SystemClock()))


REBUILT = "daily call figures of {key} rebuilt from the call log: {rows} rows"


async def rebuild_stats(key: str, clock: Clock) -> int:
    """Rebuilds ``call_day`` for one tenant; the exit code is 1 for an unknown tenant."""
    tenant = await Tenant.get_or_none(key=key)
    if tenant is None:
        print(UNKNOWN.format(key=key), file=sys.stderr)
        return 1
    rows = await rebuild(tenant.id, clock.now())
    print(REBUILT.format(key=key, rows=rows))
    return 0


def cmd_calls_rebuild(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key = args.tenant
    return with_database(settings, lambda: rebuild_stats(key, SystemClock()))


def cmd_calls_secret(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key, renew = args.tenant, args.new
    return with_database(settings, lambda: webhook_secret(key, renew, SystemClock()))


async def sync_calls(
    settings: Settings, key: str, clock: Clock, since: datetime | None = None
) -> int:
    """The sync's work, with the database already open. Returns the exit code."""

    def summary(report: DialReport) -> str:
        if report.forbidden:
            return FORBIDDEN.format(key=key)
        return SYNCED.format(key=key, records=report.records, legs=report.legs, new=report.new)

    return await run_sync(
        settings,
        key,
        clock,
        lambda client, tenant: sync_dial(client, tenant, clock, since=since),
        summary,
        f"公费电话 of {key}",
    )


def _day(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a day like 2026-11-01: {text!r}") from exc


def cmd_calls_sync(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key, since, clock = args.tenant, args.since, SystemClock()
    return with_database(settings, lambda: sync_calls(settings, key, clock, since))


def add_calls_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calls = sub.add_parser("calls", help="the call center module (呼叫中心)")
    calls_sub = calls.add_subparsers(dest="calls_command", required=True)
    help_text = "show (or make) the secret that signs a tenant's call webhooks"
    secret = calls_sub.add_parser("secret", help=help_text, description=help_text)
    add_config_argument(secret)
    secret.add_argument("tenant", help="tenant key")
    secret.add_argument("--new", action="store_true", help="replace the secret")
    secret.set_defaults(func=cmd_calls_secret)
    help_text = "pull WeCom 公费电话 records now (the last two days, or --since)"
    sync = calls_sub.add_parser("sync", help=help_text, description=help_text)
    add_config_argument(sync)
    sync.add_argument("tenant", help="tenant key")
    sync.add_argument("--since", type=_day, default=None, help="from this day (UTC)")
    sync.set_defaults(func=cmd_calls_sync)
    help_text = "rebuild a tenant's daily call figures from the call log"
    again = calls_sub.add_parser("rebuild-stats", help=help_text, description=help_text)
    add_config_argument(again)
    again.add_argument("tenant", help="tenant key")
    again.set_defaults(func=cmd_calls_rebuild)
    help_text = "import call records from a CSV export (UTF-8 or GB18030)"
    load = calls_sub.add_parser("import", help=help_text, description=help_text)
    add_config_argument(load)
    load.add_argument("tenant", help="tenant key")
    load.add_argument("file", help="a .csv file with a header row")
    load.set_defaults(func=cmd_calls_import)
