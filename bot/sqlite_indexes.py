"""Every unique constraint and index the models declare, present in a SQLite database.

SQLite cannot alter a column, so tortoise applies an AlterField or RemoveField there by
building a new table and copying the rows over, and the new table has only its columns'
own UNIQUE and CHECK clauses: the model's ``unique_together`` and ``indexes`` are gone
(PostgreSQL alters in place and keeps them). Before this, a migrated SQLite database had lost,
among others, one employee per (tenant, userid), one survey per trigger and stock moves'
idempotency keys. After each migration run, ``restore_declared_indexes`` creates what is
missing; a database where they are present is left as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.models import Model

logger = logging.getLogger(__name__)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.fields_map.get(name)
    if field is None:
        return name
    return field.source_field or field.model_field_name


def _field_names(index: Any) -> tuple[str, ...]:
    if isinstance(index, tuple | list):
        return tuple(index)
    return tuple(getattr(index, "fields", ()) or ())


def declared(model: type[Model]) -> Iterator[tuple[bool, tuple[str, ...]]]:
    """(unique, columns) of each multi-column constraint and index the model declares."""
    for fields in model._meta.unique_together:
        yield True, tuple(_column(model, f) for f in fields)
    for index in model._meta.indexes:
        columns = tuple(_column(model, f) for f in _field_names(index))
        if columns:
            yield False, columns


async def _present(
    db: BaseDBAsyncClient, table: str
) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The column tuples of the table's unique indexes, and of all its indexes."""
    unique: set[tuple[str, ...]] = set()
    every: set[tuple[str, ...]] = set()
    _, indexes = await db.execute_query(f'PRAGMA index_list("{table}")')
    for row in indexes:
        name, is_unique = row[1], row[2]
        _, columns = await db.execute_query(f'PRAGMA index_info("{name}")')
        found = tuple(str(c[2]) for c in columns)
        every.add(found)
        if is_unique:
            unique.add(found)
    return unique, every


def _name(prefix: str, table: str, columns: Iterable[str]) -> str:
    return f"{prefix}_{table}_{'_'.join(columns)}"


async def restore_declared_indexes(db: BaseDBAsyncClient) -> list[str]:
    """Create the declared unique constraints and indexes a SQLite database lacks; returns
    their names. One that old duplicate rows prevent is logged and left out, so the bot
    still starts (the rows need merging by hand first)."""
    created = []
    for models in Tortoise.apps.values():
        for model in models.values():
            table = model._meta.db_table
            unique, every = await _present(db, table)
            for is_unique, columns in declared(model):
                if columns in (unique if is_unique else every | unique):
                    continue
                name = _name("uniq" if is_unique else "idx", table, columns)
                kind = "UNIQUE INDEX" if is_unique else "INDEX"
                quoted = ", ".join(f'"{c}"' for c in columns)
                try:
                    await db.execute_script(
                        f'CREATE {kind} IF NOT EXISTS "{name}" ON "{table}" ({quoted})'
                    )
                except (IntegrityError, OperationalError) as exc:
                    logger.error("could not restore %s on %s (%s): %s", kind, table, quoted, exc)
                    continue
                created.append(name)
    return created
