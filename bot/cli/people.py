"""`scrm-bot sync members TENANT`: bring a tenant's address book (the departments and members
of the app's visible range) in from WeCom.

Safe to run while the bot serves (a lease keeps two syncs of one tenant apart) and to run
again after it stopped half way: it resumes after the last stored department.
"""

from __future__ import annotations

import argparse
import sys

import aiohttp

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.people.sync import SyncReport, sync_directory
from bot.tenants import TenantDirectory, sync_tenants
from bot.wecom.client import WeComAPIError, WeComClient

NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"
BUSY = "another process is syncing {key}'s address book right now; try again when it has finished"
STOPPED = "sync of {key} stopped: {error}\nrun the same command again to resume where it stopped"
DONE = (
    "synced {key}: {members} members in {departments} departments "
    "({joined} new, {left} left){resumed}"
)


def _say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


def summary(key: str, report: SyncReport) -> str:
    return DONE.format(
        key=key,
        members=report.members,
        departments=report.departments,
        joined=report.joined,
        left=report.left,
        resumed=" (resumed after an interrupted run)" if report.resumed else "",
    )


async def sync_members(settings: Settings, key: str, clock: Clock) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        _say(NO_TENANT.format(key=key), error=True)
        return 1
    async with aiohttp.ClientSession() as session:
        client = WeComClient(session, settings.wecom.api_base, clock=clock)
        try:
            report = await sync_directory(client, tenant, clock)
        except WeComAPIError as exc:
            _say(STOPPED.format(key=key, error=exc), error=True)
            return 1
    if not report.started:
        _say(BUSY.format(key=key), error=True)
        return 1
    _say(summary(key, report))
    return 0


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
