"""A migrated SQLite database has every unique constraint and index the models declare, also
after tortoise rebuilt a table to alter a column (which drops them)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from tortoise import Tortoise

from bot.db import apply_migrations
from bot.sqlite_indexes import declared


def indexes_of(path: Path, table: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    with sqlite3.connect(path) as db:
        unique, every = set(), set()
        for row in db.execute(f'PRAGMA index_list("{table}")'):
            columns = tuple(c[2] for c in db.execute(f'PRAGMA index_info("{row[1]}")'))
            every.add(columns)
            if row[2]:
                unique.add(columns)
    return unique, every


def drop_employee_uniqueness(db: sqlite3.Connection) -> None:
    """As a table rebuild did: the (tenant, userid) unique index gone."""
    [name] = [
        row[1]
        for row in db.execute('PRAGMA index_list("employee")')
        if row[2] and db.execute(f'PRAGMA index_info("{row[1]}")').fetchall()[0][2] == "tenant_id"
    ]
    db.execute(f'DROP INDEX "{name}"')


async def missing(path: Path) -> list[str]:
    await Tortoise.init(config={"connections": {"default": f"sqlite://{path}"}, "apps": _apps()})
    try:
        gaps = []
        for models in Tortoise.apps.values():
            for model in models.values():
                table = model._meta.db_table
                unique, every = indexes_of(path, table)
                for is_unique, columns in declared(model):
                    if columns not in (unique if is_unique else every | unique):
                        gaps.append(f"{table}{columns}")
        return gaps
    finally:
        await Tortoise.close_connections()


def _apps() -> dict[str, dict[str, list[str]]]:
    from bot.db import tortoise_config

    return tortoise_config("sqlite://:memory:")["apps"]


async def test_every_declared_constraint_is_there_after_migrating(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await apply_migrations(f"sqlite://{path}")
    assert await missing(path) == []
    # Among those the table rebuilds had dropped: one employee per tenant and userid.
    assert ("tenant_id", "userid") in indexes_of(path, "employee")[0]
    assert ("tenant_id", "key") in indexes_of(path, "erp_stock_move")[0]


async def test_a_dropped_index_comes_back_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await apply_migrations(f"sqlite://{path}")
    with sqlite3.connect(path) as db:
        drop_employee_uniqueness(db)
    assert await missing(path) == ["employee('tenant_id', 'userid')"]
    await apply_migrations(f"sqlite://{path}")
    assert await missing(path) == []


async def test_old_duplicates_are_reported_and_the_bot_still_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.db"
    await apply_migrations(f"sqlite://{path}")
    with sqlite3.connect(path) as db:
        drop_employee_uniqueness(db)
        db.execute(
            "INSERT INTO tenant (key, corp_id, name, timezone, admins, agent_id, secret, token, "
            "encoding_aes_key, created_at, updated_at) VALUES ('t', 'c', 'T', 'Asia/Shanghai', "
            "'[]', 1, 's', 't', 'k', '2026-01-01', '2026-01-01')"
        )
        for _ in range(2):
            db.execute(
                "INSERT INTO employee (tenant_id, userid, name, role, first_seen_at, last_seen_at) "
                "VALUES (1, 'lisi', '李四', 'member', '2026-01-01', '2026-01-01')"
            )
    with caplog.at_level(logging.ERROR, logger="bot.sqlite_indexes"):
        await apply_migrations(f"sqlite://{path}")
    assert "could not restore UNIQUE INDEX on employee" in caplog.text
    assert await missing(path) == ["employee('tenant_id', 'userid')"]
