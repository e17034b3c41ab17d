"""The speaker's employee row and conversation state, read together on every message.

Both are read fresh from the database for every update, never cached in the process: a role
an admin grants or takes away, a name the address book renames, or a flow begun on another
replica applies to the very next message. Reading them in one statement (the conversation
LEFT JOINed to the employee) keeps that at one round trip. A member's first message writes
the row with ``INSERT … ON CONFLICT DO NOTHING RETURNING``, so two replicas taking the same
member's first messages at once both end up with the one row.
"""

from __future__ import annotations

from datetime import datetime

from tortoise import connections

from bot.insert_many import insert_many_sql
from models.conversations import ConversationState
from models.tenants import Employee, Role

_EMPLOYEE = ("id", "tenant_id", "userid", "name", "role", "first_seen_at", "last_seen_at")
_CONVERSATION = ("id", "tenant_id", "user_id", "state", "data", "expires_at", "updated_at")
_INSERTED = ("tenant_id", "userid", "name", "role", "first_seen_at", "last_seen_at")


async def member_and_conversation(
    tenant_id: int, userid: str
) -> tuple[Employee, ConversationState | None] | None:
    """The member's row and stored conversation (None if in no flow); None if not stored."""
    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        _SELECT_SQL[connection.capabilities.dialect == "postgres"], [tenant_id, userid]
    )
    if not rows:
        return None
    row = rows[0]
    # _init_from_db is how tortoise itself turns a fetched row into a model: the same
    # conversions (enums, JSON, SQLite's datetimes) as an ORM query.
    employee = Employee._init_from_db(**{name: row[f"e_{name}"] for name in _EMPLOYEE})
    if row["c_id"] is None:
        return employee, None
    state = ConversationState._init_from_db(**{name: row[f"c_{name}"] for name in _CONVERSATION})
    return employee, state


async def add_member(tenant_id: int, userid: str, role: Role, now: datetime) -> Employee | None:
    """Store a member seen for the first time; None if the row exists already (another
    replica, or another message of theirs, stored it a moment ago)."""
    candidate = Employee(
        tenant_id=tenant_id, userid=userid, name="", role=role, first_seen_at=now, last_seen_at=now
    )
    fields = Employee._meta.fields_map
    values = [fields[name].to_db_value(getattr(candidate, name), candidate) for name in _INSERTED]
    connection = connections.get("default")
    sql = insert_many_sql(
        "employee",
        _INSERTED,
        1,
        connection.capabilities.dialect,
        conflict='"tenant_id", "userid"',
        returning=", ".join(f'"{name}"' for name in _EMPLOYEE),
    )
    rows = await connection.execute_query_dict(sql, values)
    if not rows:
        return None
    return Employee._init_from_db(**{name: rows[0][name] for name in _EMPLOYEE})


def _select_sql(postgres: bool) -> str:
    first, second = ("$1", "$2") if postgres else ("?", "?")
    columns = [f'e."{name}" AS "e_{name}"' for name in _EMPLOYEE]
    columns += [f'c."{name}" AS "c_{name}"' for name in _CONVERSATION]
    return (
        f'SELECT {", ".join(columns)} FROM "employee" e '
        'LEFT JOIN "conversation_state" c '
        'ON c."tenant_id" = e."tenant_id" AND c."user_id" = e."userid" '
        f'WHERE e."tenant_id" = {first} AND e."userid" = {second}'
    )


# The statement for SQLite ([False]) and for PostgreSQL ([True]): only the placeholders differ.
_SELECT_SQL = (_select_sql(False), _select_sql(True))
