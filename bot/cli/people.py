"""`scrm-bot sync members TENANT`: bring a tenant's address book (the departments and members
of the app's visible range) in from WeCom.

Safe to run while the bot serves (a lease keeps two syncs of one tenant apart) and to run
again after it stopped half way: it resumes after the last stored department.
"""

from __future__ import annotations

import argparse

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.tenant_sync import RESUMED, run_sync
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.people.sync import SyncReport, sync_directory

DONE = (
    "synced {key}: {members} members in {departments} departments "
    "({joined} new, {left} left){resumed}"
)


def summary(key: str, report: SyncReport) -> str:
    return DONE.format(
        key=key,
        members=report.members,
        departments=report.departments,
        joined=report.joined,
        left=report.left,
        resumed=RESUMED if report.resumed else "",
    )


async def sync_members(settings: Settings, key: str, clock: Clock) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    return await run_sync(
        settings,
        key,
        clock,
        lambda client, tenant: sync_directory(client, tenant, clock),
        lambda report: summary(key, report),
        f"{key}'s address book",
    )


def cmd_sync_members(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    tenant, clock = args.tenant, SystemClock()
    return with_database(settings, lambda: sync_members(settings, tenant, clock))


def add_members_parser(sync_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_text = "bring the address book (departments, members) in from WeCom (resumable)"
    members = sync_sub.add_parser("members", help=help_text, description=help_text)
    add_config_argument(members)
    members.add_argument("tenant", help="tenant key")
    members.set_defaults(func=cmd_sync_members)
