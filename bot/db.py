"""Database wiring: the tortoise config for a URL, start-up, and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from models import MODEL_APPS

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


async def apply_migrations(url: str) -> None:
    ensure_sqlite_dir(url)
    try:
        await migrate(config=tortoise_config(url))
    finally:
        # Also on failure: an open aiosqlite thread would keep the process from exiting.
        await Tortoise.close_connections()


async def open_database(url: str) -> None:
    """Apply pending migrations, then connect. Safe to call on every start."""
    await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url))


async def close_database() -> None:
    await Tortoise.close_connections()


# For tortoise's own CLI when a developer adds a migration:
#   tortoise -c bot.db.TORTOISE_ORM makemigrations
TORTOISE_ORM = tortoise_config("sqlite://data/dev.db")
