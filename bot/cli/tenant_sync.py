"""What the resumable ``scrm-bot sync …`` commands share: find the tenant, call WeCom through
one session, and say how it went (a sync another process holds, one WeCom stopped half way)."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import aiohttp

from bot.clock import Clock
from bot.config import Settings
from bot.tenants import TenantDirectory, TenantInfo, sync_tenants
from bot.wecom.client import WeComAPIError, WeComClient

NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"
BUSY = "another process is syncing {what} right now; try again when it has finished"
STOPPED = "sync of {key} stopped: {error}\nrun the same command again to resume where it stopped"
RESUMED = " (resumed after an interrupted run)"


class Report(Protocol):
    @property
    def started(self) -> bool: ...


R = TypeVar("R", bound=Report)


def say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


async def run_sync(
    settings: Settings,
    key: str,
    clock: Clock,
    sync: Callable[[WeComClient, TenantInfo], Awaitable[R]],
    summary: Callable[[R], str],
    busy_what: str,
) -> int:
    """One tenant's sync, with the database already open. Returns the exit code."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        say(NO_TENANT.format(key=key), error=True)
        return 1
    async with aiohttp.ClientSession() as session:
        client = WeComClient(session, settings.wecom.api_base, clock=clock)
        try:
            report = await sync(client, tenant)
        except WeComAPIError as exc:
            say(STOPPED.format(key=key, error=exc), error=True)
            return 1
    if not report.started:
        say(BUSY.format(what=busy_what), error=True)
        return 1
    say(summary(report))
    return 0
