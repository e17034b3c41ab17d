"""Shared fixtures.

Tests that touch the database (they use the ``database`` fixture, and are marked ``db``) run
on SQLite by default. With ``SCRM_TEST_DATABASE=postgres`` they run on PostgreSQL instead, at
``SCRM_TEST_POSTGRES_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/test``); each run gets a
database of its own, created and dropped here. ``make test`` does both passes when the URL is
set. One backend per process: tortoise's models carry one dialect at a time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import asyncpg
import pytest
from support.system_deps import deselect_unavailable
from tortoise import Tortoise

from bot.app import Options
from bot.clock import FrozenClock, SystemClock
from bot.config import Settings, parse_settings
from bot.db import apply_migrations, tortoise_config
from bot.embedded import Embedded, run_embedded
from bot.tenants import TenantDirectory, TenantInfo, sync_tenants
from bot.wecom_sim.control import SimulatorControl

POSTGRES_URL = os.environ.get("SCRM_TEST_POSTGRES_URL", "")
BACKEND = os.environ.get("SCRM_TEST_DATABASE", "sqlite")

# The public test vector from wechatpy's own crypto tests.
TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
CORP_ID = "wx49f0ab532d5d035a"

TEST_CONFIG: dict[str, Any] = {
    "tenants": [
        {
            "key": "acme",
            "corp_id": CORP_ID,
            "name": "艾克米科技",
            "admins": ["zhangsan"],
            "app": {
                "agent_id": 1000002,
                "secret": "acme-secret",
                "token": TOKEN,
                "encoding_aes_key": AES_KEY,
            },
        },
        {
            "key": "other",
            "corp_id": "wwother0000000001",
            "name": "别家公司",
            "app": {
                "agent_id": 1000003,
                "secret": "other-secret",
                "token": "othertoken",
                "encoding_aes_key": "Rb/oNXpmWDHVuAEVCy7Q2njX/ZxW3pF+1uLuVodQm6c",
            },
        },
    ]
}


def pytest_configure(config: pytest.Config) -> None:
    if BACKEND not in ("sqlite", "postgres"):
        raise pytest.UsageError(f"SCRM_TEST_DATABASE must be sqlite or postgres, not {BACKEND!r}")
    if BACKEND == "postgres" and not POSTGRES_URL:
        raise pytest.UsageError("SCRM_TEST_DATABASE=postgres needs SCRM_TEST_POSTGRES_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
    deselect_unavailable(config, items)  # browser / CJK font tests: see tests/system_deps.py


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrations run once; each test gets a copy of the migrated file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    _run_aside(apply_migrations(f"sqlite://{path}"))
    return path


def _run_aside(coro: Coroutine[Any, Any, Any]) -> None:
    """Run set-up work on a loop of its own: session fixtures may be first requested from
    inside a test's running loop, where ``asyncio.run`` is not allowed."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"scrm_bot_test_{os.getpid()}"
    admin = POSTGRES_URL.replace("postgres://", "postgresql://", 1)

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    _run_aside(run(f'DROP DATABASE IF EXISTS "{name}"'))
    _run_aside(run(f'CREATE DATABASE "{name}"'))
    url = _with_database(POSTGRES_URL, name)
    _run_aside(apply_migrations(url))
    yield url
    _run_aside(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_postgres() -> None:
    models = list(Tortoise.apps.get_models_iterable())
    tables = ", ".join(f'"{m._meta.db_table}"' for m in models)
    await models[0]._meta.db.execute_script(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, migrated database, connected. Yields its URL."""
    if BACKEND == "sqlite":
        path = tmp_path / "scrm.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite://{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    await Tortoise.init(config=tortoise_config(url))
    if BACKEND == "postgres":
        await _truncate_postgres()
    yield url
    await Tortoise.close_connections()


@pytest.fixture
def settings(database: str) -> Settings:
    raw = dict(TEST_CONFIG, database={"url": database})
    return parse_settings(raw)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 10:00 in Shanghai


@pytest.fixture
async def tenant(settings: Settings) -> TenantInfo:
    await sync_tenants(settings.tenants)
    info = await TenantDirectory().get("acme")
    assert info is not None
    return info


@pytest.fixture
async def embedded(settings: Settings) -> AsyncIterator[Embedded]:
    """Bot and simulator on loopback, sharing the test's database; no scheduler (tests run
    sweeps themselves)."""
    options = Options(clock=SystemClock(), manage_database=False, run_scheduler=False)
    async with run_embedded(settings, options) as running:
        yield running


@pytest.fixture
async def sim(embedded: Embedded) -> AsyncIterator[SimulatorControl]:
    async with aiohttp.ClientSession() as session:
        yield SimulatorControl(session, embedded.simulator_url)
