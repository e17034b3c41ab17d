"""kill -9 under load: ``scrm-bot serve`` is killed while WeCom (``scrm-bot simulate``) is
delivering callbacks, and started again under the same instance name; WeCom retries what was
not acknowledged. Every acknowledged message is answered, and answered once: 0 lost, 0
duplicated (a copy WeCom's duplicate check dropped is not a delivery)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import asyncpg
import pytest
from support.processes import bot_command

from bot.wecom_sim.control import SimulatorControl

logger = logging.getLogger(__name__)
BACKEND = os.environ.get("SCRM_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("SCRM_TEST_POSTGRES_URL", "")
MESSAGES = 100
KILL_AFTER = 40  # acknowledged callbacks before the kill
ROOT = Path(__file__).resolve().parents[2]
# A process's start (imports, migrations check, dictionaries) takes a few seconds alone and
# several times that while the suite's other workers keep every CPU busy.
STARTUP_SECONDS = 120
DELIVERY_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def fresh_database(tmp_path: Path) -> AsyncIterator[str]:
    if BACKEND == "sqlite":
        yield f"sqlite://{tmp_path / 'kill9.db'}"
        return
    name = f"scrm_bot_kill9_{os.getpid()}"
    admin = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def write_config(path: Path, database: str, bot_port: int, sim_port: int) -> Path:
    path.write_text(
        f"""
[server]
host = "127.0.0.1"
port = {bot_port}
public_base_url = "http://127.0.0.1:{bot_port}"
[database]
url = "{database}"
[wecom]
api_base = "http://127.0.0.1:{sim_port}"
[simulator]
port = {sim_port}
[[tenants]]
key = "acme"
corp_id = "wx49f0ab532d5d035a"
name = "艾克米科技"
admins = ["zhangsan"]
[tenants.app]
agent_id = 1000002
secret = "acme-secret"
token = "123456"
encoding_aes_key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
""",
        encoding="utf-8",
    )
    return path


async def start(
    command: str, config: Path, url: str, instance: str = "replica-1"
) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        *bot_command(command, "-c", str(config)),
        cwd=ROOT,
        env={**os.environ, "SCRM_INSTANCE": instance},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    async with aiohttp.ClientSession() as http:
        while loop.time() < deadline and process.returncode is None:
            with suppress(aiohttp.ClientError):
                async with http.get(url) as answer:
                    if answer.status < 500:
                        return process
            await asyncio.sleep(0.1)
    if process.returncode is None:
        process.kill()
    await process.wait()
    raise AssertionError(f"{command} did not come up (exit code {process.returncode})")


async def stop(process: asyncio.subprocess.Process, how: signal.Signals) -> None:
    if process.returncode is None:
        process.send_signal(how)
        await process.wait()


@pytest.mark.db
async def test_kill_9_under_load_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    bot_port, sim_port = free_port(), free_port()
    async with fresh_database(tmp_path) as database:
        config = write_config(tmp_path / "config.toml", database, bot_port, sim_port)
        health = f"http://127.0.0.1:{bot_port}/healthz"
        simulator = await start("simulate", config, f"http://127.0.0.1:{sim_port}/_sim/sent")
        bot = await start("serve", config, health)
        try:
            async with aiohttp.ClientSession() as http:
                wecom = SimulatorControl(http, f"http://127.0.0.1:{sim_port}")
                acked: set[int] = set()
                killed = asyncio.Event()

                async def deliver(n: int) -> None:
                    fields = {
                        "MsgType": "text",
                        "FromUserName": f"user{n:03d}",
                        "Content": "你好",
                        "MsgId": str(7_000_000 + n),
                    }
                    if (await wecom.deliver("acme", fields))["status"] == 200:
                        acked.add(n)
                        if len(acked) >= KILL_AFTER and not killed.is_set():
                            killed.set()
                            bot.kill()  # SIGKILL: no shutdown of any kind

                slots = asyncio.Semaphore(8)

                async def paced(n: int) -> None:
                    async with slots:
                        await deliver(n)

                await asyncio.gather(*(paced(n) for n in range(MESSAGES)))
                await bot.wait()
                restarted = await start("serve", config, health)
                try:
                    # WeCom retries what was never acknowledged, with the same MsgId.
                    for n in sorted(set(range(MESSAGES)) - acked):
                        await deliver(n)
                    users = {f"user{n:03d}" for n in acked}
                    deadline = asyncio.get_running_loop().time() + DELIVERY_SECONDS
                    while asyncio.get_running_loop().time() < deadline:
                        sent = await wecom.sent()
                        delivered = Counter(
                            r["body"]["touser"]
                            for r in sent
                            if r["api"] == "message/send" and not r["dropped"]
                        )
                        if users <= set(delivered):
                            break
                        await asyncio.sleep(0.2)
                finally:
                    await stop(restarted, signal.SIGTERM)
        finally:
            await stop(bot, signal.SIGKILL)
            await stop(simulator, signal.SIGTERM)
    lost = sorted(users - set(delivered))
    duplicated = sorted(user for user, count in delivered.items() if count > 1)
    copies = sum(1 for r in sent if r["dropped"] and r.get("reason") == "duplicate")
    # The figures bench/README records (pytest --log-cli-level=INFO shows them).
    logger.info(
        "kill -9 run (%s): %d acknowledged, %d replies delivered, %d lost, %d duplicated, "
        "%d copies dropped by WeCom's duplicate check",
        BACKEND,
        len(acked),
        sum(delivered.values()),
        len(lost),
        len(duplicated),
        copies,
    )
    assert len(acked) == MESSAGES
    assert (lost, duplicated) == ([], [])
