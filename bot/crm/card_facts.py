"""What a customer card shows beyond the customer's own row, read in one statement.

The card needs the owner's name, the customer's tags, the last interaction and the sold
orders. Built by the ORM that was five statements (and as much query building) on every
lookup; here one UNION ALL reads them, one part per fact, each row carrying its part's
number. Values are converted by the model fields themselves (SQLite's datetimes, enums), as
an ORM query would.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from bot.crm.valuation import SOLD
from models.crm.customers import INTERACTION_KINDS, Customer, CustomerNote, NoteKind
from models.crm.tags import CorpTag, CustomerTag
from models.orders import Order
from models.tenants import Employee

_OWNER, _TAG, _LAST, _SOLD = range(4)


@dataclass(frozen=True, slots=True)
class LastInteraction:
    kind: NoteKind
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CardFacts:
    owner: str | None  # the owner's name, or their userid when the name is empty
    tags: list[str]  # by name
    last: LastInteraction | None
    sold: list[tuple[datetime, int]]  # (confirmed at, total in fen) of each sold order


async def card_facts(customer: Customer) -> CardFacts:
    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        _facts_sql(connection.capabilities.dialect == "postgres"),
        [customer.owner_id, customer.id, False, customer.id, customer.tenant_id, customer.id],
    )
    owner: str | None = None
    tags: list[str] = []
    last: LastInteraction | None = None
    sold: list[tuple[datetime, int]] = []
    note_at = CustomerNote._meta.fields_map["created_at"]
    confirmed_at = Order._meta.fields_map["confirmed_at"]
    for row in rows:
        part, a, b, at, n = row["_part"], row["_a"], row["_b"], row["_at"], row["_n"]
        if part == _OWNER:
            owner = a or b
        elif part == _TAG:
            tags.append(a)
        elif part == _LAST:
            last = LastInteraction(NoteKind(a), b, note_at.to_python_value(at))
        else:
            sold.append((confirmed_at.to_python_value(at), int(n)))
    return CardFacts(owner, tags, last, sold)


def _quoted(values: tuple[str, ...]) -> str:
    # Enum constants of this code base, never user input.
    return ", ".join(f"'{value}'" for value in values)


@functools.cache
def _facts_sql(postgres: bool) -> str:
    """Typed NULLs: PostgreSQL settles a UNION's column types part by part, and two bare
    NULLs would make a column text before the datetimes come."""
    marks = iter(f"${n}" for n in range(1, 7)) if postgres else iter(["?"] * 6)
    text, at, number = "CAST(NULL AS VARCHAR)", "CAST(NULL AS TIMESTAMPTZ)", "CAST(NULL AS BIGINT)"
    owner = (
        f'SELECT {_OWNER} AS "_part", e."name" AS "_a", e."userid" AS "_b", {at} AS "_at", '
        f'{number} AS "_n" FROM "{Employee._meta.db_table}" e WHERE e."id" = {next(marks)}'
    )
    tags = (
        f'SELECT {_TAG}, g."name", {text}, {at}, {number} '
        f'FROM "{CustomerTag._meta.db_table}" ct JOIN "{CorpTag._meta.db_table}" g '
        f'ON g."id" = ct."tag_id" WHERE ct."customer_id" = {next(marks)} '
        f'AND g."deleted" = {next(marks)}'
    )
    last = (
        f'SELECT * FROM (SELECT {_LAST}, n."kind", n."text", n."created_at", {number} '
        f'FROM "{CustomerNote._meta.db_table}" n WHERE n."customer_id" = {next(marks)} '
        f'AND n."kind" IN ({_quoted(tuple(kind.value for kind in INTERACTION_KINDS))}) '
        'ORDER BY n."created_at" DESC, n."id" DESC LIMIT 1) l'
    )
    sold = (
        f'SELECT {_SOLD}, {text}, {text}, o."confirmed_at", o."total_fen" '
        f'FROM "{Order._meta.db_table}" o WHERE o."tenant_id" = {next(marks)} '
        f'AND o."customer_id" = {next(marks)} '
        f'AND o."state" IN ({_quoted(tuple(state.value for state in SOLD))}) '
        'AND o."confirmed_at" IS NOT NULL'
    )
    # The orders part names the tenant so that it searches an index of the tenant's orders
    # rather than scanning every tenant's. Tags come back in their names' order, by the
    # database's collation as before.
    return f'{owner} UNION ALL {tags} UNION ALL {last} UNION ALL {sold} ORDER BY "_part", "_a"'
