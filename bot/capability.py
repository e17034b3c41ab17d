"""What a capability is: one object that says everything the core needs to run it.

A capability (customers, follow-ups, work orders, ...) is declared once, in its handler
package's ``__init__.py``, and listed once, in ``bot.capabilities``. The app, the scheduler,
the outbox, 帮助 and the demo iterate that list; nothing else in the core names a
capability. Everything is handed in at start-up (``Services``): a capability never imports
the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings
from bot.dispatch.router import CORE_MODULE, Router
from bot.outbox import OutboxSender, Transport
from bot.tenants import TenantDirectory
from bot.wecom.client import WeComClient
from scheduler.jobs import SweepJob

if TYPE_CHECKING:
    from bot.dispatch.dispatcher import Dispatcher
    from bot.inbox import Inbox
    from bot.nlu.segment import Segmenter
    from bot.subscription.service import Billing


@dataclass(frozen=True, slots=True)
class Basics:
    """What exists before start-up: enough to add HTTP routes to the app."""

    settings: Settings
    clock: Clock
    tenants: TenantDirectory
    # Read late, when a request arrives: the live services (the outbox sender for a webhook
    # that must message someone at once), None until start-up is done.
    services: Callable[[], Services | None] = lambda: None


@dataclass(frozen=True, slots=True)
class Services:
    """The live services a capability's jobs, transports and deps are built from."""

    settings: Settings
    clock: Clock
    tenants: TenantDirectory
    client: WeComClient
    sender: OutboxSender
    billing: Billing
    segmenter: Segmenter | None
    # The inbox is made after the dispatcher (which holds the deps that need it): read it late.
    inbox: Callable[[], Inbox | None]
    # Read late too: a numbered answer ("2") runs the command it completes through it.
    dispatcher: Callable[[], Dispatcher | None] = lambda: None


JobsFactory = Callable[[Services], Sequence[SweepJob]]
TransportsFactory = Callable[[Services], Mapping[str, Transport]]
DepsFactory = Callable[[Services], Mapping[str, Any]]
WebRoutes = Callable[[web.Application, Basics], None]


def _none(services: Services) -> Mapping[str, Any]:
    return {}


def _no_jobs(services: Services) -> Sequence[SweepJob]:
    return ()


def _no_routes(app: web.Application, basics: Basics) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Capability:
    """``name`` is the folder it lives in (``handlers/<name>/``, ``tests/<name>/``);
    ``module`` the subscription module that entitles a tenant to it (``core``: everyone).

    ``routers``: its chat handlers (the dispatcher orders them by rule, see
    ``bot.dispatch.registry``; 帮助 lists their commands under each router's title).
    ``jobs``: its scheduled sweeps. ``transports``: outbox channels it sends through
    (channel name → transport). ``deps``: the services and hooks it puts in ``ctx.deps``
    (a hook is a service another capability looks up, e.g. ``ticket_hooks.surveys``).
    ``web``: HTTP routes it serves (e.g. the survey page). ``config``: its table in
    config.toml. ``demo``: its scene in ``scrm-bot demo``, as ``"module:function"`` so that
    running the bot never imports the tour or the simulator.
    """

    name: str
    title: str
    module: str = CORE_MODULE
    routers: Sequence[Router] = ()
    jobs: JobsFactory = _no_jobs
    transports: TransportsFactory = _none
    deps: DepsFactory = _none
    web: WebRoutes = _no_routes
    config: str = ""
    demo: str = ""
