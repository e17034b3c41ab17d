"""Finding customers: by name, phone prefix, company or tag, always within one tenant.

Each lookup is a range scan on a (tenant, column) index: ``col >= 'abc' AND col < 'abd'``
finds every value starting with "abc" without a table scan (the LIKE beside it keeps the
answer exact on databases whose collation does not sort by code point). Archived customers
(deleted or merged away) are never found: their history stays, out of sight.
"""

from __future__ import annotations

import re
from typing import Any

from tortoise.expressions import Q, Subquery

from bot.nlu.names import find_reference
from models.crm.customers import Customer, CustomerFollower, FollowerStatus
from models.crm.tags import CorpTag, CustomerTag

SHOWN = 10  # how many matches a list shows
PAGE_SIZE = 10
_DIGITS = re.compile(r"[0-9][0-9\- ]{2,}")
# 张总那边, 李姐这儿: where the customer is, said after their name
_SIDE = re.compile(r"(?:那边|这边|那里|这里|那儿|这儿|那头|那块)$")


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


async def _by_tag(tenant_id: int, name: str) -> list[Customer]:
    """Customers with the tag, most recently tagged first (two index lookups, no join: a
    join ordered by name would walk the whole name index when few customers match)."""
    tag_ids = await CorpTag.filter(tenant_id=tenant_id, name=name, deleted=False).values_list(
        "id", flat=True
    )
    if not tag_ids:
        return []
    customer_ids = (
        await CustomerTag.filter(tenant_id=tenant_id, tag_id__in=list(tag_ids))
        .order_by("-id")
        .limit(SHOWN + 1)
        .values_list("customer_id", flat=True)
    )
    # By primary key alone: with tenant_id in the WHERE, SQLite walks the tenant's index
    # instead. The ids come from this tenant's tags, and the check below keeps it that way.
    rows = await Customer.filter(id__in=list(customer_ids))
    found: dict[Any, Customer] = {
        c.id: c for c in rows if c.tenant_id == tenant_id and c.archived_at is None
    }
    return [found[i] for i in customer_ids if i in found]


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
    without_side = _SIDE.sub("", query)
    if without_side != query:
        return without_side
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
    for group in (
        await _by_prefix(tenant_id, "name", query),
        await _by_prefix(tenant_id, "company", query),
        await _by_tag(tenant_id, query),
    ):
        for customer in group:
            found.setdefault(customer.id, customer)
    ranked = sorted(found.values(), key=lambda c: c.name != query)
    return ranked[: SHOWN + 1]


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
