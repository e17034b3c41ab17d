"""Writing outbox rows: one statement per batch, skipping keys already stored.

Every update's replies pass through here inside the handler's transaction, so it is written
out by hand rather than built by the ORM row by row: ``INSERT … ON CONFLICT DO NOTHING
RETURNING`` stores the new keys, leaves a key a retry or another replica already stored as it
is, and names exactly the rows it made (SQLite 3.35+ and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise import connections

from bot.insert_many import insert_many_sql
from models.outbox import OutboxMessage

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
