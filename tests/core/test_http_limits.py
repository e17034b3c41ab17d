"""Clients that hold the HTTP server open: request heads dripped a byte at a time, bodies that
never finish, headers over the limits, clients that hang up. None ties up the bot for long,
and none logs an ERROR."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.app import Options, create_app
from bot.clock import FrozenClock
from bot.config import Settings
from bot.http_limits import server_options
from models.inbox import InboxUpdate

HEAD_SECONDS = 0.5


@pytest.fixture
async def server(settings: Settings, clock: FrozenClock) -> AsyncIterator[int]:
    """The bot served as ``scrm-bot serve`` serves it, with a short head timeout; its port."""
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    runner = web.AppRunner(
        create_app(settings, options), handle_signals=False, **server_options(HEAD_SECONDS)
    )
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """True when the server ends the connection within ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(4096):
                pass
    except TimeoutError:
        return False
    return True


def no_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_slowloris_connections_are_cut_off(
    server: int, caplog: pytest.LogCaptureFixture
) -> None:
    connections = [await connect(server) for _ in range(30)]

    async def drip(writer: asyncio.StreamWriter) -> None:
        writer.write(b"POST /wecom/acme/app HTTP/1.1\r\nHost: bot\r\n")
        for _ in range(40):  # a header byte every 0.1 s: never a complete head
            await asyncio.sleep(0.1)
            if writer.is_closing():
                return
            try:
                writer.write(b"X")
                await writer.drain()
            except ConnectionError:
                return

    drips = [asyncio.create_task(drip(writer)) for _, writer in connections]
    closed = await asyncio.gather(*(closed_within(r, HEAD_SECONDS + 2) for r, _ in connections))
    for task in drips:
        task.cancel()
    await asyncio.gather(*drips, return_exceptions=True)
    for _, writer in connections:
        writer.close()
    assert all(closed)
    assert no_errors(caplog) == []


async def test_a_body_that_never_finishes_is_refused(
    server: int, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.wecom.callback.BODY_SECONDS", 0.3)
    reader, writer = await connect(server)
    stamp = int(clock.now().timestamp())
    writer.write(
        f"POST /wecom/acme/app?msg_signature={'0' * 40}&timestamp={stamp}&nonce=n1 HTTP/1.1\r\n"
        "Host: bot\r\nContent-Length: 1000\r\n\r\n<xml>".encode()
    )
    await writer.drain()
    async with asyncio.timeout(3):
        status_line = await reader.readline()
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 408")
    assert await InboxUpdate.all().count() == 0


async def test_a_client_hanging_up_mid_body_is_logged_at_debug(
    server: int, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.http_limits")
    reader, writer = await connect(server)
    stamp = int(clock.now().timestamp())
    writer.write(
        f"POST /wecom/acme/app?msg_signature={'0' * 40}&timestamp={stamp}&nonce=n1 HTTP/1.1\r\n"
        "Host: bot\r\nContent-Length: 1000\r\n\r\n<xml>".encode()
    )
    await writer.drain()
    await asyncio.sleep(0.1)
    writer.close()
    await writer.wait_closed()
    for _ in range(50):
        if any("went away" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    gone = [r for r in caplog.records if "went away" in r.getMessage()]
    assert [r.levelno for r in gone] == [logging.DEBUG]
    assert no_errors(caplog) == []


@pytest.mark.parametrize(
    "head",
    [
        {"X-Big": "a" * 5000},
        {f"X-H{n}": "v" for n in range(60)},
    ],
    ids=["one header over 4 KiB", "60 headers"],
)
async def test_heads_over_the_limits_are_refused_without_versions(
    server: int, caplog: pytest.LogCaptureFixture, head: dict[str, Any]
) -> None:
    reader, writer = await connect(server)
    lines = "".join(f"{name}: {value}\r\n" for name, value in head.items())
    writer.write(f"GET /healthz HTTP/1.1\r\nHost: bot\r\n{lines}\r\n".encode())
    await writer.drain()
    async with asyncio.timeout(3):
        answer = await reader.read(65536)
    writer.close()
    status, _, rest = answer.partition(b"\r\n")
    assert status.split()[1] in (b"400", b"431"), status
    server_header = [line for line in rest.split(b"\r\n") if line.lower().startswith(b"server:")]
    assert server_header == [b"Server: scrm-bot"]
    assert no_errors(caplog) == []  # the client's fault: a DEBUG line, no traceback
