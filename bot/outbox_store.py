"""Writing outbox rows: one statement per batch, skipping keys already stored; marking
rows sent: one statement for every row sent meanwhile.

Every update's replies pass through here inside the handler's transaction, so it is written
out by hand rather than built by the ORM row by row: ``INSERT … ON CONFLICT DO NOTHING
RETURNING`` stores the new keys, leaves a key a retry or another replica already stored as it
is, and names exactly the rows it made (SQLite 3.35+ and PostgreSQL).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from bot.insert_many import insert_many_sql
from models.outbox import OutboxMessage, OutboxStatus

_COLUMNS = (
    "tenant_id", "idempotency_key", "channel", "recipient", "msg_type", "payload", "status",
    "attempts", "next_attempt_at", "lease_until", "lease_owner", "last_error", "created_at",
    "sent_at",
)  # fmt: skip
# Far below SQLite's 32,766 bound variables, so a broadcast never builds one giant statement.
ROWS_PER_STATEMENT = 200


async def insert_new(rows: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    """Store the rows whose (tenant, key) is not stored yet; return those, with their ids."""
    fresh: list[OutboxMessage] = []
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        fresh += await _insert_chunk(rows[start : start + ROWS_PER_STATEMENT])
    return fresh


async def _insert_chunk(rows: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    fields = OutboxMessage._meta.fields_map
    values: list[object] = []
    for row in rows:
        values += [fields[name].to_db_value(getattr(row, name), row) for name in _COLUMNS]
    connection = connections.get("default")  # the transaction's, when one is open
    made = await connection.execute_query_dict(
        _insert_sql(len(rows), connection.capabilities.dialect), values
    )
    ids = {(int(r["tenant_id"]), str(r["idempotency_key"])): int(r["id"]) for r in made}
    fresh: list[OutboxMessage] = []
    for row in rows:
        row_id = ids.pop((row.tenant_id, row.idempotency_key), None)
        if row_id is not None:  # popped: a key repeated in one batch is one row
            row.id = row_id
            row._saved_in_db = True
            fresh.append(row)
    return fresh


def _insert_sql(rows: int, dialect: str) -> str:
    return insert_many_sql(
        "outbox_message",
        _COLUMNS,
        rows,
        dialect,
        '"tenant_id", "idempotency_key"',
        '"id", "tenant_id", "idempotency_key"',
    )


def in_transaction_now() -> bool:
    """Whether the caller's statements would run inside an open transaction."""
    return isinstance(connections.get("default"), TransactionalDBClient)


async def mark_sent(ids: Sequence[int], attempts: int, now: datetime) -> None:
    """Rows WeCom accepted: sent, with ``attempts`` made, lease and error cleared."""
    connection = connections.get("default")
    sent_at = OutboxMessage._meta.fields_map["sent_at"].to_db_value(now, OutboxMessage)
    for start in range(0, len(ids), ROWS_PER_STATEMENT):
        chunk = list(ids[start : start + ROWS_PER_STATEMENT])
        await connection.execute_query(
            _mark_sent_sql(len(chunk), connection.capabilities.dialect),
            [OutboxStatus.SENT.value, attempts, sent_at, *chunk],
        )


@functools.lru_cache(maxsize=ROWS_PER_STATEMENT)  # one per batch size and dialect
def _mark_sent_sql(rows: int, dialect: str) -> str:
    if dialect == "postgres":
        marks, ids = ("$1", "$2", "$3"), [f"${n}" for n in range(4, rows + 4)]
    else:
        marks, ids = ("?", "?", "?"), ["?"] * rows
    status, attempts, sent_at = marks
    return (
        f'UPDATE "{OutboxMessage._meta.db_table}" SET "status" = {status}, '
        f'"attempts" = {attempts}, "last_error" = \'\', "sent_at" = {sent_at}, '
        f'"lease_until" = NULL WHERE "id" IN ({", ".join(ids)})'
    )
