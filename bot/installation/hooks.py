"""What other capabilities may do when an installation is completed.

The satisfaction surveys plug in here ("completed → ask the customer how it went"), as they do
for resolved work orders (``bot.tickets.hooks``). Pass an ``InstallHooks`` in the
dispatcher's deps as ``deps["install_hooks"]``; without one the hook does nothing. It is
awaited inside the handler's transaction, after the job is saved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.dispatch.context import Context
from models.installation import InstallJob

InstallHook = Callable[[Context, InstallJob], Awaitable[None]]
DEPS_KEY = "install_hooks"


async def nothing(ctx: Context, job: InstallJob) -> None:
    return None


@dataclass(frozen=True, slots=True)
class InstallHooks:
    on_completed: InstallHook = nothing


def hooks_of(ctx: Context) -> InstallHooks:
    hooks = ctx.deps.get(DEPS_KEY)
    return hooks if isinstance(hooks, InstallHooks) else InstallHooks()
