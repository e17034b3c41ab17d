"""The inbox statement every update pays for, written out once per dialect.

Marking an update done is the first statement of every handler's transaction; built by the
ORM it cost about as much CPU as everything else the transaction writes (query building,
filter resolution), so it is a fixed statement here. The ORM keeps the rarer writes.
"""

from __future__ import annotations

import functools
from datetime import datetime

from tortoise import connections

from models.inbox import InboxStatus, InboxUpdate


@functools.cache
def _mark_done_sql(dialect: str) -> str:
    marks = ("$1", "$2", "$3", "$4") if dialect == "postgres" else ("?",) * 4
    return (
        f'UPDATE "{InboxUpdate._meta.db_table}" SET "status" = {marks[0]}, '
        f'"processed_at" = {marks[1]}, "lease_until" = NULL, "error" = \'\' '
        f'WHERE "id" = {marks[2]} AND "status" = {marks[3]}'
    )


async def mark_done(inbox_id: int, now: datetime) -> bool:
    """Mark a pending update done, in the caller's transaction; False if it is no longer
    pending (another run finished it, or it failed for good)."""
    connection = connections.get("default")  # the transaction's, when one is open
    processed_at = InboxUpdate._meta.fields_map["processed_at"].to_db_value(now, InboxUpdate)
    changed, _ = await connection.execute_query(
        _mark_done_sql(connection.capabilities.dialect),
        [InboxStatus.DONE.value, processed_at, inbox_id, InboxStatus.PENDING.value],
    )
    return bool(changed == 1)
