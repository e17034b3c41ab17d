"""Database wiring: the tortoise config for a URL, start-up, and migrations."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import importlib
import logging
import pkgutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.sqlite import executor as _sqlite_executor  # noqa: F401 (see below)
from tortoise.migrations.api import migrate

from models import MODEL_APPS

logger = logging.getLogger(__name__)


def _utc_text(value: datetime) -> str:
    return (value.astimezone(UTC) if value.tzinfo is not None else value).isoformat(" ")


# SQLite keeps datetimes as text and compares them as text, so every one must be written in
# the same offset: a month's bound given in the tenant's time (2026-11-01 00:00:00+08:00)
# would otherwise be compared with stored UTC text as if it were UTC, eight hours off.
# tortoise's SQLite executor (imported above) registers the adapter at import; this replaces it.
sqlite3.register_adapter(datetime, _utc_text)

# The largest value an IntField holds on PostgreSQL (``integer``). A number typed in chat is
# checked against it before it reaches a query: a bigger one names no row, and would make
# PostgreSQL (or SQLite, past 2**63) refuse the query instead of finding nothing.
MAX_INT = 2**31 - 1


def storable(number: int) -> bool:
    return -MAX_INT - 1 <= number <= MAX_INT


def tortoise_config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": _normalise_url(url)},
        "apps": {
            label: {**app, "default_connection": "default"} for label, app in MODEL_APPS.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _normalise_url(url: str) -> str:
    # tortoise spells the scheme "postgres"; people paste "postgresql" from libpq docs.
    if url.startswith("postgresql://"):
        return "postgres://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite://") and ":memory:" not in url and "synchronous=" not in url:
        # WAL with synchronous=NORMAL: a crash of the bot loses nothing, and commits skip the
        # fsync that stalled acknowledgements for 0.2-0.7 s on a virtual disk (bench/README).
        # A power cut may lose the last moments; ?synchronous=FULL in the URL trades speed
        # for that.
        return url + ("&" if "?" in url else "?") + "synchronous=NORMAL"
    return url


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (``data/`` on a fresh clone)."""
    if url.startswith("sqlite://") and ":memory:" not in url:
        path = url.removeprefix("sqlite://").split("?", 1)[0]
        Path(path).parent.mkdir(parents=True, exist_ok=True)


# The PostgreSQL advisory lock migrations run under: a fixed number derived from a name, so
# it cannot collide with a lock some other program on the same server takes by accident.
MIGRATION_LOCK = int.from_bytes(hashlib.sha256(b"scrm-bot migrations").digest()[:8], "big") >> 1


async def apply_migrations(url: str) -> None:
    """Bring the schema up to date. Replicas starting together take turns: each migrates
    under a lock, so the first applies what is pending and the others find nothing to do
    (without it, two would create the same table at once and one would exit)."""
    ensure_sqlite_dir(url)
    async with _migration_lock(url):
        try:
            await migrate(config=tortoise_config(url))
            if url.startswith("sqlite://"):
                await _restore_sqlite_indexes(url)
        finally:
            # Also on failure: an open aiosqlite thread would keep the process from exiting.
            await Tortoise.close_connections()


async def _restore_sqlite_indexes(url: str) -> None:
    """What tortoise's SQLite table rebuilds dropped (``bot.sqlite_indexes``)."""
    from bot.sqlite_indexes import restore_declared_indexes

    await Tortoise.init(config=tortoise_config(url))
    restored = await restore_declared_indexes(connections.get("default"))
    if restored:
        logger.info("restored %d unique constraints and indexes: %s", len(restored), restored)


@asynccontextmanager
async def _migration_lock(url: str) -> AsyncIterator[None]:
    if url.startswith(("postgres://", "postgresql://")):
        async with _advisory_lock(url):
            yield
    elif url.startswith("sqlite://") and ":memory:" not in url:
        async with _file_lock(url.removeprefix("sqlite://").split("?", 1)[0] + ".migrate.lock"):
            yield
    else:  # an in-memory database belongs to one process
        yield


@asynccontextmanager
async def _advisory_lock(url: str) -> AsyncIterator[None]:
    """A session lock on a connection of its own, held while tortoise migrates on others;
    PostgreSQL releases it if this process dies."""
    credentials = expand_db_url(_normalise_url(url))["credentials"]
    connection = await asyncpg.connect(
        host=credentials.get("host"),
        port=credentials.get("port"),
        user=credentials.get("user"),
        password=credentials.get("password"),
        database=credentials.get("database"),
    )
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        try:
            yield
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    finally:
        await connection.close()


@asynccontextmanager
async def _file_lock(path: str) -> AsyncIterator[None]:
    """An exclusive ``flock`` beside the database file; the kernel releases it if this
    process dies. The wait happens in a thread, so the event loop is never blocked."""
    with open(path, "a+b") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def migrations_on_disk() -> set[tuple[str, str]]:
    """(app, migration) for every migration file the code ships."""
    found: set[tuple[str, str]] = set()
    for label, app in MODEL_APPS.items():
        package = importlib.import_module(app["migrations"])
        found.update(
            (label, name)
            for _, name, is_package in pkgutil.iter_modules(package.__path__)
            if not is_package and name[0] not in "_~"
        )
    return found


async def migrations_applied() -> set[tuple[str, str]]:
    """(app, migration) recorded as applied; raises when the database cannot be reached."""
    connection = connections.get("default")
    _, rows = await connection.execute_query('SELECT "app", "name" FROM "tortoise_migrations"')
    return {(str(row["app"]), str(row["name"])) for row in rows}


async def open_database(url: str) -> None:
    """Apply pending migrations, then connect. Safe to call on every start."""
    await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url))


async def close_database() -> None:
    await Tortoise.close_connections()


# For tortoise's own CLI when a developer adds a migration:
#   tortoise -c bot.db.TORTOISE_ORM makemigrations
TORTOISE_ORM = tortoise_config("sqlite://data/dev.db")
