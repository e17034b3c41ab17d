"""The bot and the WeCom simulator in one process, on loopback: for the demo, the console's
self-contained mode, end-to-end tests and benchmarks."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

from aiohttp import web

from bot.app import RUNTIME, Options, Runtime, create_app
from bot.clock import Clock
from bot.config import Settings
from bot.http_limits import server_options
from bot.wecom_sim.simulator import SimTenant, create_simulator_app


def simulated_tenants(settings: Settings) -> list[SimTenant]:
    """The simulator plays WeCom for exactly the tenants the bot is configured with."""
    return [
        SimTenant(
            key=t.key,
            corp_id=t.corp_id,
            name=t.name,
            agent_id=t.app.agent_id,
            secret=t.app.secret,
            token=t.app.token,
            encoding_aes_key=t.app.encoding_aes_key,
            callback_url=f"{settings.server.public_base_url}/wecom/{t.key}/app",
            aibot_token=t.aibot.token,
            aibot_aes_key=t.aibot.encoding_aes_key,
            aibot_url=f"{settings.server.public_base_url}/wecom/{t.key}/aibot",
            aibot_id=t.aibot.bot_id,
            webhook_key=t.aibot.webhook_key,
        )
        for t in settings.tenants
    ]


def _loopback_socket() -> socket.socket:
    # Bound before either app exists, so each can be told the other's port without a race.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass(frozen=True, slots=True)
class Embedded:
    settings: Settings
    runtime: Runtime
    bot_url: str
    simulator_url: str


@asynccontextmanager
async def run_embedded(
    settings: Settings, options: Options | None = None, *, simulator_clock: Clock | None = None
) -> AsyncIterator[Embedded]:
    """``simulator_clock``: the simulator's time (its rate windows, token and response_url
    lifetimes); the real time unless a test moves both sides together."""
    bot_sock, sim_sock = _loopback_socket(), _loopback_socket()
    bot_url = f"http://127.0.0.1:{bot_sock.getsockname()[1]}"
    sim_url = f"http://127.0.0.1:{sim_sock.getsockname()[1]}"
    settings = replace(
        settings,
        server=replace(settings.server, public_base_url=bot_url),
        wecom=replace(settings.wecom, api_base=sim_url),
    )
    bot_app = create_app(settings, options)
    runners = [
        web.AppRunner(create_simulator_app(simulated_tenants(settings), clock=simulator_clock)),
        web.AppRunner(bot_app, handle_signals=False, **server_options()),
    ]
    try:
        for runner, sock in zip(runners, (sim_sock, bot_sock), strict=True):
            await runner.setup()
            await web.SockSite(runner, sock).start()
        yield Embedded(settings, bot_app[RUNTIME], bot_url, sim_url)
    finally:
        for runner in reversed(runners):
            await runner.cleanup()
        bot_sock.close()
        sim_sock.close()
