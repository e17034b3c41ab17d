"""Shared fixtures, and two session-wide rules.

Tests that touch the database (they use the ``database`` fixture, and are marked ``db``) run
on SQLite by default. With ``SCRM_TEST_DATABASE=postgres`` they run on PostgreSQL instead, at
``SCRM_TEST_POSTGRES_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/test``); each run gets a
database of its own, created and dropped here. ``make test`` does both passes when the URL is
set. One backend per process: tortoise's models carry one dialect at a time.

Any date: tests take time from an injected clock (``clock``, a ``FrozenClock`` on Monday
2026-11-23, 10:00 in Shanghai), never from the wall clock. To prove it,
``SCRM_TEST_MOVE_CLOCK=2028-02-29T23:30:00+08:00`` moves the whole process's wall clock
(``datetime.now``, ``time.time``, so ``SystemClock``; child processes started through
``support.processes`` too) to that instant for the session, still ticking. CI runs the suite
so on a few awkward dates.

Coroutines never awaited: ``filterwarnings = ["error"]`` makes the ``RuntimeWarning`` raised
when one is collected an error, and pytest fails the test during which that happens (or the
run, when it happens at exit) with ``PytestUnraisableExceptionWarning``. A coroutine something
still holds is never collected, so never reported: the session fails when one is alive at its
end (``pytest_sessionfinish`` below; under pytest-xdist each worker hands what it found to the
controller). tests/core/test_unawaited_coroutines.py shows each case.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import asyncpg
import pytest
import time_machine
from support.browser import chromium  # noqa: F401  (a fixture for the page tests)
from support.coroutines import never_started
from support.system_deps import deselect_unavailable
from tortoise import Tortoise

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings, parse_settings
from bot.db import apply_migrations, tortoise_config
from bot.embedded import Embedded, run_embedded
from bot.tenants import TenantDirectory, TenantInfo, sync_tenants
from bot.wecom_sim.control import SimulatorControl

POSTGRES_URL = os.environ.get("SCRM_TEST_POSTGRES_URL", "")
BACKEND = os.environ.get("SCRM_TEST_DATABASE", "sqlite")
MOVED_CLOCK = os.environ.get("SCRM_TEST_MOVE_CLOCK", "")
HELD_COROUTINES = pytest.StashKey[list[str]]()
DROPPED_COROUTINES = pytest.StashKey[list[str]]()

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
    if MOVED_CLOCK:
        travel = time_machine.travel(_moved_clock_destination(MOVED_CLOCK), tick=True)
        travel.start()
        config.add_cleanup(travel.stop)


def _moved_clock_destination(value: str) -> datetime:
    try:
        destination = datetime.fromisoformat(value)
    except ValueError:
        destination = None
    if destination is None or destination.tzinfo is None:
        raise pytest.UsageError(
            f"SCRM_TEST_MOVE_CLOCK must be an ISO instant with an offset, not {value!r}"
        )
    return destination


def pytest_report_header(config: pytest.Config) -> str | None:
    if MOVED_CLOCK:
        return f"wall clock moved to {MOVED_CLOCK} (SCRM_TEST_MOVE_CLOCK)"
    return None


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports for it
        workeroutput["held_coroutines"], workeroutput["dropped_coroutines"] = _found_at_exit()
        return
    stash = session.config.stash
    stash[HELD_COROUTINES] = [*never_started(), *stash.get(HELD_COROUTINES, [])]
    found = stash[HELD_COROUTINES] or stash.get(DROPPED_COROUTINES, [])
    if found and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _found_at_exit() -> tuple[list[str], list[str]]:
    """In a worker, the coroutines still held and those the last collection drops. One process
    alone has pytest report the dropped ones; a worker's end is not reported, so they are
    caught here and sent to the controller."""
    dropped: list[str] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda raised: dropped.append(
        f"{type(raised.exc_value).__name__}: {raised.exc_value}"
    )
    try:
        return never_started(), dropped
    finally:
        sys.unraisablehook = previous


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """What a worker found at its end, gathered by the controller for its own."""
    found = getattr(node, "workeroutput", {})
    stash = node.config.stash
    for key, name in (
        (HELD_COROUTINES, "held_coroutines"),
        (DROPPED_COROUTINES, "dropped_coroutines"),
    ):
        stash[key] = [*stash.get(key, []), *found.get(name, [])]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stash = terminalreporter.config.stash
    for key, title in (
        (HELD_COROUTINES, "coroutines never awaited, still held at the end"),
        (DROPPED_COROUTINES, "coroutines never awaited, collected at a worker's end"),
    ):
        if stash.get(key, []):
            terminalreporter.section(title, red=True)
            for line in stash[key]:
                terminalreporter.write_line(line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
    if os.environ.get("SCRM_TEST_DATABASE", "sqlite") != "sqlite":
        # Not skipped (CI refuses skips): such a test is not part of the PostgreSQL pass.
        sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if item not in sqlite_only]
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


async def _empty_postgres() -> None:
    """Every model's table emptied and its id sequence back at 1, as a fresh database would be.

    DELETE, not TRUNCATE: truncating the 75 tables took 0.6 s per test (new files for each
    table), deleting from them 2 ms. Foreign keys are not checked meanwhile (the replica role;
    the test user is the superuser), so the order of the tables does not matter."""
    models = list(Tortoise.apps.get_models_iterable())
    tables = [m._meta.db_table for m in models]
    deletes = "".join(f'DELETE FROM "{table}";' for table in tables)
    names = ", ".join(f"'{table}'" for table in tables)
    await models[0]._meta.db.execute_script(
        "SET session_replication_role = replica;"
        f"{deletes}"
        "SET session_replication_role = DEFAULT;"
        "SELECT setval(s.oid, 1, false) FROM pg_class s"
        " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
        " JOIN pg_class t ON t.oid = d.refobjid"
        f" WHERE s.relkind = 'S' AND t.relname IN ({names});"
    )


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
        await _empty_postgres()
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
def wall_clock(clock: FrozenClock) -> Iterator[FrozenClock]:
    """For code that reads the system clock by design, as the command line does (it is where
    production builds its ``SystemClock``): the process's wall clock stands still at the
    test clock's instant until the test ends. Moving ``clock`` does not move it."""
    with time_machine.travel(clock.now(), tick=False):
        yield clock


@pytest.fixture
async def tenant(settings: Settings) -> TenantInfo:
    await sync_tenants(settings.tenants)
    info = await TenantDirectory().get("acme")
    assert info is not None
    return info


@pytest.fixture
async def embedded(settings: Settings, clock: FrozenClock) -> AsyncIterator[Embedded]:
    """Bot and simulator on loopback, sharing the test's database and its clock (which moves
    only when the test moves it); no scheduler (tests run sweeps themselves)."""
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    async with run_embedded(settings, options, simulator_clock=clock) as running:
        yield running


@pytest.fixture
async def sim(embedded: Embedded) -> AsyncIterator[SimulatorControl]:
    async with aiohttp.ClientSession() as session:
        yield SimulatorControl(session, embedded.simulator_url)
