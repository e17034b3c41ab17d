"""What other capabilities may do when an installation is completed or confirmed.

The satisfaction surveys plug in here ("the customer confirmed → ask how it went"), as they do
for resolved work orders (``bot.tickets.hooks``). Pass an ``InstallHooks`` in the
dispatcher's deps as ``deps["install_hooks"]``; without one the hooks do nothing.

``on_completed`` is awaited inside the 完工 handler's transaction, after the job is saved.
``on_confirmed`` runs once per job, inside the transaction that moved it to 客户已确认: from
chat (确认安装) or from the customer's confirmation page, which has no chat context, so it
gets the tenant, the job, the time and the settings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.dispatch.context import Context
from bot.tenants import TenantInfo
from models.installation import InstallJob

InstallHook = Callable[[Context, InstallJob], Awaitable[None]]
ConfirmHook = Callable[[TenantInfo, InstallJob, datetime, Settings], Awaitable[None]]
DEPS_KEY = "install_hooks"


async def nothing(ctx: Context, job: InstallJob) -> None:
    return None


async def nothing_confirmed(
    tenant: TenantInfo, job: InstallJob, now: datetime, settings: Settings
) -> None:
    return None


@dataclass(frozen=True, slots=True)
class InstallHooks:
    on_completed: InstallHook = nothing
    on_confirmed: ConfirmHook = nothing_confirmed


def hooks_in(deps: Mapping[str, Any]) -> InstallHooks:
    hooks = deps.get(DEPS_KEY)
    return hooks if isinstance(hooks, InstallHooks) else InstallHooks()


def hooks_of(ctx: Context) -> InstallHooks:
    return hooks_in(ctx.deps)
