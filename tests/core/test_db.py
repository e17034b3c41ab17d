"""Database URLs as tortoise gets them."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from tortoise import Tortoise

from bot.db import tortoise_config
from models.inbox import InboxUpdate
from models.tenants import Tenant

BACKEND = os.environ.get("SCRM_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("SCRM_TEST_POSTGRES_URL", "")


def url_of(url: str) -> str:
    return str(tortoise_config(url)["connections"]["default"])


def test_sqlite_skips_the_fsync_per_commit_unless_asked() -> None:
    assert url_of("sqlite://data/scrm.db") == "sqlite://data/scrm.db?synchronous=NORMAL"
    assert (
        url_of("sqlite://data/scrm.db?synchronous=FULL") == "sqlite://data/scrm.db?synchronous=FULL"
    )
    assert url_of("sqlite://:memory:") == "sqlite://:memory:"


def test_postgresql_scheme_is_accepted() -> None:
    assert url_of("postgresql://u:p@db:5432/scrm") == "postgres://u:p@db:5432/scrm"


# --- replicas starting together ---------------------------------------------------------------

REPLICAS = 6
_MIGRATE = "import asyncio, sys; from bot.db import apply_migrations; asyncio.run(apply_migrations(sys.argv[1]))"  # noqa: E501


async def _migrate_at_once(url: str) -> list[tuple[int, str]]:
    """``REPLICAS`` processes migrating the same fresh database at the same moment."""
    root = Path(__file__).resolve().parents[2]
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _MIGRATE, url, cwd=root, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(REPLICAS)
    ]
    results = []
    for child in children:
        _, stderr = await asyncio.wait_for(child.communicate(), timeout=120)
        results.append((child.returncode or 0, stderr.decode()[-2000:]))
    return results


@pytest.mark.db
async def test_replicas_migrating_a_fresh_database_together_all_succeed(tmp_path: Path) -> None:
    if BACKEND == "sqlite":
        url = f"sqlite://{tmp_path / 'fresh.db'}"
        assert await _migrate_at_once(url) == [(0, "")] * REPLICAS
        await _assert_migrated(url)
        return
    name = f"scrm_bot_migrate_{os.getpid()}"
    admin = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
        try:
            assert await _migrate_at_once(url) == [(0, "")] * REPLICAS
            await _assert_migrated(url)
        finally:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _assert_migrated(url: str) -> None:
    """Every table is there, once: the first replica migrated, the others found it done."""
    await Tortoise.init(config=tortoise_config(url))
    try:
        assert await Tenant.all().count() == 0
        assert await InboxUpdate.all().count() == 0
    finally:
        await Tortoise.close_connections()
