"""`scrm-bot sync customers TENANT`: page a tenant's existing WeCom customers into the book.

Safe to run while the bot serves (a lease keeps two syncs of one tenant apart) and to run
again after it stopped half way: it resumes after the last stored page.
"""

from __future__ import annotations

import argparse

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.people import add_members_parser
from bot.cli.tenant_sync import RESUMED, run_sync
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.crm.sync import DEFAULT_CONCURRENCY, SyncReport, sync_customers

DONE = (
    "synced {key}: {relationships} customer relationships of {members} members "
    "in {pages} pages{resumed}"
)


def _summary(key: str, report: SyncReport) -> str:
    resumed = RESUMED if report.resumed else ""
    return DONE.format(
        key=key,
        relationships=report.relationships,
        members=report.members,
        pages=report.pages,
        resumed=resumed,
    )


async def sync_tenant(settings: Settings, key: str, concurrency: int, clock: Clock) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    return await run_sync(
        settings,
        key,
        clock,
        lambda client, tenant: sync_customers(client, tenant, clock, concurrency=concurrency),
        lambda report: _summary(key, report),
        key,
    )


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
