"""`scrm-bot sync customers TENANT`: page a tenant's existing WeCom customers into the book.

Safe to run while the bot serves (a lease keeps two syncs of one tenant apart) and to run
again after it stopped half way: it resumes after the last stored page.
"""

from __future__ import annotations

import argparse
import sys

import aiohttp

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.people import add_members_parser
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.crm.sync import DEFAULT_CONCURRENCY, SyncReport, sync_customers
from bot.tenants import TenantDirectory, sync_tenants
from bot.wecom.client import WeComAPIError, WeComClient

NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"
BUSY = "another process is syncing {key} right now; try again when it has finished"
STOPPED = "sync of {key} stopped: {error}\nrun the same command again to resume where it stopped"
DONE = (
    "synced {key}: {relationships} customer relationships of {members} members "
    "in {pages} pages{resumed}"
)


def _say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


def _summary(key: str, report: SyncReport) -> str:
    resumed = " (resumed after an interrupted run)" if report.resumed else ""
    return DONE.format(
        key=key,
        relationships=report.relationships,
        members=report.members,
        pages=report.pages,
        resumed=resumed,
    )


async def sync_tenant(settings: Settings, key: str, concurrency: int, clock: Clock) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        _say(NO_TENANT.format(key=key), error=True)
        return 1
    async with aiohttp.ClientSession() as session:
        client = WeComClient(session, settings.wecom.api_base, clock=clock)
        try:
            report = await sync_customers(client, tenant, clock, concurrency=concurrency)
        except WeComAPIError as exc:
            _say(STOPPED.format(key=key, error=exc), error=True)
            return 1
    if not report.started:
        _say(BUSY.format(key=key), error=True)
        return 1
    _say(_summary(key, report))
    return 0


def cmd_sync_customers(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    tenant, concurrency, clock = args.tenant, args.concurrency, SystemClock()
    return with_database(settings, lambda: sync_tenant(settings, tenant, concurrency, clock))


def add_sync_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="bring data in from WeCom")
    sync_sub = sync.add_subparsers(dest="sync_command", required=True)
    help_text = "page every member's existing customers in from WeCom (resumable)"
    customers = sync_sub.add_parser("customers", help=help_text, description=help_text)
    add_config_argument(customers)
    customers.add_argument("tenant", help="tenant key")
    customers.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"WeCom calls in flight at once (default {DEFAULT_CONCURRENCY}; "
        "WeCom answers 45033 past its limit)",
    )
    customers.set_defaults(func=cmd_sync_customers)
    add_members_parser(sync_sub)
