"""Finding customers: by name, phone prefix, company or tag, always within one tenant.

Each lookup is a range scan on a (tenant, column) index: ``col >= 'abc' AND col < 'abd'``
finds every value starting with "abc" without a table scan (the LIKE beside it keeps the
answer exact on databases whose collation does not sort by code point). Archived customers
(deleted or merged away) are never found: their history stays, out of sight.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from tortoise import connections
from tortoise.expressions import Q, Subquery
from tortoise.filters import escape_like

from bot.nlu.names import find_reference
from models.crm.customers import Customer, CustomerFollower, FollowerStatus
from models.crm.tags import CorpTag, CustomerTag

SHOWN = 10  # how many matches a list shows
PAGE_SIZE = 10
_DIGITS = re.compile(r"[0-9][0-9\- ]{2,}")
# 张总那边, 李姐这儿: where the customer is; 星辰相关的, 华强有关的信息: what is about them
_SAID_AFTER_NAME = re.compile(
    r"(?:那边|这边|那里|这里|那儿|这儿|那头|那块|(?:相关|有关)的?(?:信息|资料|记录|东西|内容)?)$"
)


def prefix_filter(field: str, prefix: str) -> dict[str, Any]:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return {f"{field}__gte": prefix, f"{field}__lt": upper, f"{field}__startswith": prefix}


def phone_digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


async def _by_prefix(tenant_id: int, field: str, prefix: str) -> list[Customer]:
    return (
        await Customer.filter(
            tenant_id=tenant_id, archived_at__isnull=True, **prefix_filter(field, prefix)
        )
        .order_by(field, "id")
        .limit(SHOWN + 1)
    )


async def search_customers(tenant_id: int, query: str) -> list[Customer]:
    """Up to ``SHOWN + 1`` matches (one more than shown, so callers can say "more").
    Digits search phones by prefix; anything else names and companies by prefix, then tags;
    an exact name comes first. When nothing matches a query that starts with a customer's
    title and name and says more ("张总那边", "赵总给我们"), that name is searched."""
    found = await _search(tenant_id, query.strip())
    if found:
        return found
    shorter = _named_first(query.strip())
    return await _search(tenant_id, shorter) if shorter else []


def _named_first(query: str) -> str:
    without_tail = _SAID_AFTER_NAME.sub("", query)
    if without_tail != query:
        return without_tail
    ref = find_reference(query)
    if ref is not None and ref.titled and query.startswith(ref.text) and query != ref.text:
        return ref.text
    return ""


async def _search(tenant_id: int, query: str) -> list[Customer]:
    if not query:
        return []
    if _DIGITS.fullmatch(query):
        return await _by_prefix(tenant_id, "phone", phone_digits(query))
    found: dict[int, Customer] = {}
    for customer in await _by_name_company_or_tag(tenant_id, query):
        found.setdefault(customer.id, customer)
    ranked = sorted(found.values(), key=lambda c: c.name != query)
    return ranked[: SHOWN + 1]


async def _by_name_company_or_tag(tenant_id: int, query: str) -> list[Customer]:
    """Names by prefix, then companies by prefix, then the tag's customers (most recently
    tagged first), up to ``SHOWN + 1`` of each, in one round trip."""
    connection = connections.get("default")
    upper = query[:-1] + chr(ord(query[-1]) + 1)
    like = f"{escape_like(query)}%"
    prefix = [tenant_id, query, upper, like]
    rows = await connection.execute_query_dict(
        _search_sql(connection.capabilities.dialect == "postgres"),
        [*prefix, *prefix, tenant_id, tenant_id, query, False, tenant_id],
    )
    columns = _columns()
    return [Customer._init_from_db(**{name: row[name] for name in columns}) for row in rows]


@functools.cache
def _columns() -> tuple[str, ...]:
    # Read once the ORM is set up: the foreign keys' columns (tenant_id, owner_id) are
    # added to the model's fields then.
    return tuple(Customer._meta.fields_db_projection.values())


@functools.cache
def _search_sql(postgres: bool) -> str:
    """Each part keeps its own order and limit inside a subquery; the outer ORDER BY puts the
    parts in turn and each back in its order (``_key``, then ``_n``), by the database's own
    collation as the parts were. The tag's customers are read by primary key (the tenant is
    compared with ``+``, so SQLite does not walk the tenant's index instead), after the
    limit, as archived ones drop out."""
    marks = iter(f"${n}" for n in range(1, 14)) if postgres else iter(["?"] * 13)
    table = Customer._meta.db_table
    columns = ", ".join(f'c."{name}"' for name in _columns())

    def by_prefix(part: int, field: str) -> str:
        return (
            f'SELECT * FROM (SELECT {columns}, {part} AS "_part", c."{field}" AS "_key", '
            f'c."id" AS "_n" FROM "{table}" c WHERE c."tenant_id" = {next(marks)} '
            f'AND c."archived_at" IS NULL AND c."{field}" >= {next(marks)} '
            f'AND c."{field}" < {next(marks)} AND c."{field}" LIKE {next(marks)} ESCAPE \'\\\' '
            f'ORDER BY c."{field}", c."id" LIMIT {SHOWN + 1}) p{part}'
        )

    by_name, by_company = by_prefix(0, "name"), by_prefix(1, "company")
    by_tag = (
        f'SELECT {columns}, 2 AS "_part", NULL AS "_key", -t."id" AS "_n" FROM ('
        f'SELECT ct."id", ct."customer_id" FROM "{CustomerTag._meta.db_table}" ct '
        f'WHERE ct."tenant_id" = {next(marks)} AND ct."tag_id" IN ('
        f'SELECT g."id" FROM "{CorpTag._meta.db_table}" g WHERE g."tenant_id" = {next(marks)} '
        f'AND g."name" = {next(marks)} AND g."deleted" = {next(marks)}) '
        f'ORDER BY ct."id" DESC LIMIT {SHOWN + 1}) t '
        f'JOIN "{table}" c ON c."id" = t."customer_id" '
        f'WHERE +c."tenant_id" = {next(marks)} AND c."archived_at" IS NULL'
    )
    return f'{by_name} UNION ALL {by_company} UNION ALL {by_tag} ORDER BY "_part", "_key", "_n"'


async def customer_in_tenant(tenant_id: int, customer_id: int) -> Customer | None:
    return await Customer.get_or_none(tenant_id=tenant_id, id=customer_id, archived_at__isnull=True)


def _mine(tenant_id: int, employee_id: int) -> Q:
    following = CustomerFollower.filter(
        tenant_id=tenant_id, employee_id=employee_id, status=FollowerStatus.ACTIVE
    ).values("customer_id")
    return Q(owner_id=employee_id) | Q(id__in=Subquery(following))


async def my_customers(tenant_id: int, employee_id: int, page: int) -> tuple[list[Customer], int]:
    """One page (1-based) of the customers an employee owns or follows, and the total."""
    query = Customer.filter(
        _mine(tenant_id, employee_id), tenant_id=tenant_id, archived_at__isnull=True
    )
    total = await query.count()
    offset = (page - 1) * PAGE_SIZE
    if offset >= total:  # also keeps an offset no database can hold out of the query
        return [], total
    rows = await query.order_by("-updated_at", "-id").offset(offset).limit(PAGE_SIZE)
    return rows, total
