"""``create_app(settings)``: the aiohttp application with every resource in ``cleanup_ctx``.

Start-up order: database (migrate, connect, sync tenants from config) → HTTP session and
WeCom client → dispatcher, outbox and inbox → pending inbox rows from before a restart →
scheduler. Shutdown runs in reverse: background tasks are cancelled and awaited before the
database closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis

from bot.capabilities import (
    CAPABILITIES,
    check_names,
    collect_deps,
    collect_transports,
    routers_of,
)
from bot.capability import Basics, Capability, Services
from bot.card_updates import add_card_update_transport
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import close_database, open_database
from bot.dispatch.dispatcher import Dispatcher, EntitlementCheck
from bot.dispatch.router import Router
from bot.dispatch.types import Update
from bot.http_limits import plain_server_header, quiet_bad_requests, quiet_disconnects
from bot.inbox import Inbox
from bot.instance import HEARTBEAT, Instance, default_name
from bot.nlu.intents import resolve_intent
from bot.nlu.segment import Segmenter, load_segmenter
from bot.nlu.vocabulary import known_names
from bot.observability import SchedulerState, count_callbacks, metrics_page, readiness
from bot.outbox import OutboxPolicy, OutboxSender
from bot.pacing import use_redis
from bot.passive import PassiveReplies
from bot.subscription.guard import EntitlementGuard
from bot.subscription.service import Billing
from bot.tasks import BackgroundTasks
from bot.tenants import TenantDirectory, TenantInfo, sync_tenants
from bot.transports import register_transports
from bot.wecom.aibot_callback import AibotEndpoint, add_aibot_routes
from bot.wecom.callback import CallbackEndpoint, OnUpdate, add_callback_routes
from bot.wecom.client import WeComClient
from scheduler.factory import build_scheduler
from scheduler.jobs import SweepJob, core_jobs, register_jobs

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Options:
    """What tests, the demo and benchmarks change; production uses the defaults."""

    clock: Clock = field(default_factory=SystemClock)
    manage_database: bool = True  # False when the caller has opened the database already
    run_scheduler: bool = True
    capabilities: Sequence[Capability] = CAPABILITIES
    routers: Sequence[Router] | None = None  # None: every capability's routers
    entitlement: EntitlementCheck | None = None  # None: the subscription guard
    outbox_policy: OutboxPolicy = field(default_factory=OutboxPolicy)
    client_max_attempts: int = 4
    instance: str = ""  # the name this process's leases carry; "": SCRM_INSTANCE or host:port


@dataclass(slots=True)
class Runtime:
    """The live services, for the CLI, the demo and tests to reach into."""

    settings: Settings
    options: Options
    tenants: TenantDirectory
    tasks: BackgroundTasks
    client: WeComClient | None = None
    sender: OutboxSender | None = None
    dispatcher: Dispatcher | None = None
    inbox: Inbox | None = None
    billing: Billing | None = None
    segmenter: Segmenter | None = None
    services: Services | None = None  # what the capabilities were started with
    scheduler: AsyncIOScheduler | None = None
    passive: PassiveReplies = field(default_factory=PassiveReplies)
    instance: Instance | None = None


RUNTIME = web.AppKey("runtime", Runtime)


def create_app(settings: Settings, options: Options | None = None) -> web.Application:
    options = options or Options()
    check_names(options.capabilities)
    app = web.Application(middlewares=[quiet_disconnects, count_callbacks])
    runtime = Runtime(settings, options, TenantDirectory(), BackgroundTasks())
    runtime.billing = Billing(settings.subscription, options.clock)
    app[RUNTIME] = runtime
    callbacks = CallbackEndpoint(
        tenants=runtime.tenants,
        clock=options.clock,
        replay_window_seconds=settings.wecom.replay_window_seconds,
        on_update=_accept(runtime),
    )
    add_callback_routes(app, callbacks)
    reply_seconds = settings.wecom.passive_reply_seconds
    add_aibot_routes(app, AibotEndpoint(callbacks, runtime.passive, reply_seconds))
    app.router.add_get("/healthz", _health)
    app.router.add_get("/readyz", readiness(lambda: _readiness_of(runtime)))
    app.router.add_get("/metrics", metrics_page)
    app.on_response_prepare.append(plain_server_header)
    quiet_bad_requests()
    basics = Basics(settings, options.clock, runtime.tenants, lambda: runtime.services)
    for capability in options.capabilities:
        capability.web(app, basics)
    app.cleanup_ctx.extend([_database, _nlu, _instance, _pacing, _services, _recovery, _scheduler])
    return app


def _accept(runtime: Runtime) -> OnUpdate:
    async def accept(tenant: TenantInfo, update: Update) -> bool:
        assert runtime.inbox is not None, "callbacks arrive only after start-up"
        return await runtime.inbox.accept(tenant, update)

    return accept


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _readiness_of(runtime: Runtime) -> SchedulerState:
    if not runtime.options.run_scheduler:
        return SchedulerState.OFF
    running = runtime.scheduler is not None and runtime.scheduler.running
    return SchedulerState.RUNNING if running else SchedulerState.STOPPED


async def _database(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    if runtime.options.manage_database:
        await open_database(runtime.settings.database.url)
    assert runtime.billing is not None
    for tenant in await sync_tenants(runtime.settings.tenants):
        await runtime.billing.start_trial(tenant.id)  # a no-op once it has a subscription
    yield
    if runtime.options.manage_database:
        await close_database()


async def _instance(app: web.Application) -> AsyncIterator[None]:
    """Before anything takes a lease: this process's name, and the leases of instances that
    are gone (its own previous life among them) freed for the recovery below. Its name is
    given up only after the background tasks have stopped, below it in shutdown order."""
    runtime = app[RUNTIME]
    name = runtime.options.instance or default_name(runtime.settings.server.port)
    runtime.instance = Instance(name, runtime.options.clock)
    await runtime.instance.start()
    yield
    await runtime.instance.stop()


async def _pacing(app: web.Application) -> AsyncIterator[None]:
    """With ``[redis] url``, WeCom's rate limits are counted in Redis for every replica
    (``bot.pacing``); the connection is made on first use and closed on shutdown."""
    url = app[RUNTIME].settings.redis.url
    if not url:
        yield
        return
    client = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    use_redis(client)
    yield
    use_redis(None)
    await client.aclose()


async def _nlu(app: web.Application) -> AsyncIterator[None]:
    """jieba's dictionary is built in a worker thread before the first callback is accepted,
    so neither the event loop nor the first message waits for it."""
    runtime = app[RUNTIME]
    runtime.segmenter = await asyncio.to_thread(load_segmenter)
    runtime.segmenter.add_names(await known_names())
    yield


async def _services(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    options = runtime.options
    assert runtime.billing is not None
    async with aiohttp.ClientSession() as session:
        runtime.client = WeComClient(
            session,
            runtime.settings.wecom.api_base,
            clock=options.clock,
            max_attempts=options.client_max_attempts,
        )
        runtime.sender = OutboxSender(
            runtime.client, runtime.tenants, options.clock, options.outbox_policy
        )
        services = runtime.services = Services(
            settings=runtime.settings,
            clock=options.clock,
            tenants=runtime.tenants,
            client=runtime.client,
            sender=runtime.sender,
            billing=runtime.billing,
            segmenter=runtime.segmenter,
            inbox=lambda: runtime.inbox,
            dispatcher=lambda: runtime.dispatcher,
        )
        register_transports(runtime.sender, runtime.client, options.clock)
        add_card_update_transport(runtime.sender, runtime.client)
        for channel, transport in collect_transports(options.capabilities, services).items():
            runtime.sender.add_transport(channel, transport)
        routers = options.routers
        guard = EntitlementGuard(runtime.billing)
        runtime.dispatcher = Dispatcher(
            routers if routers is not None else routers_of(options.capabilities),
            clock=options.clock,
            entitlement=options.entitlement or guard,
            intent_resolver=resolve_intent,
            open_modules=guard.open_modules,
            deps={
                "settings": runtime.settings,
                "client": runtime.client,
                "billing": runtime.billing,
                "segmenter": runtime.segmenter,
                **collect_deps(options.capabilities, services),
            },
        )
        runtime.inbox = Inbox(
            runtime.dispatcher,
            runtime.sender,
            runtime.tenants,
            runtime.tasks,
            options.clock,
            claim_replies=runtime.passive.claim,
        )
        yield
        await runtime.tasks.close()


async def _recovery(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    assert runtime.inbox is not None and runtime.sender is not None
    recovered = await runtime.inbox.recover()
    if recovered:
        logger.info("picked up %d updates left unprocessed by the last run", recovered)
    runtime.tasks.spawn(runtime.sender.sweep(), name="outbox-startup-sweep")
    yield


async def _scheduler(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    if not runtime.options.run_scheduler:
        yield
        return
    assert runtime.inbox is not None and runtime.sender is not None
    assert runtime.services is not None
    scheduler = runtime.scheduler = build_scheduler()
    register_jobs(scheduler, core_jobs(runtime.inbox, runtime.sender, runtime.options.clock))
    assert runtime.instance is not None
    seconds = int(HEARTBEAT.total_seconds())
    heartbeat = SweepJob("instance-heartbeat", seconds, runtime.instance.heartbeat)
    register_jobs(scheduler, [heartbeat])
    for capability in runtime.options.capabilities:
        register_jobs(scheduler, capability.jobs(runtime.services))
    scheduler.start()
    yield
    scheduler.shutdown(wait=False)
