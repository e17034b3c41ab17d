"""One multi-row ``INSERT … ON CONFLICT DO NOTHING RETURNING`` for the hot paths that store
rows (the inbox's callbacks, the outbox's replies, a member's first contact): one statement
instead of a SELECT of the keys already there and an INSERT per row. The text depends only on
the table, the number of rows and the dialect, so it is built once per batch size."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=256)  # per table, batch size and dialect
def insert_many_sql(
    table: str, columns: tuple[str, ...], rows: int, dialect: str, conflict: str, returning: str
) -> str:
    width = len(columns)
    if dialect == "postgres":
        marks = [
            "(" + ", ".join(f"${row * width + n + 1}" for n in range(width)) + ")"
            for row in range(rows)
        ]
    else:
        marks = ["(" + ", ".join("?" * width) + ")"] * rows
    names = ", ".join(f'"{name}"' for name in columns)
    return (
        f'INSERT INTO "{table}" ({names}) VALUES {", ".join(marks)} '
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {returning}"
    )
