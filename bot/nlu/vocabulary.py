"""The names the segmenter learns at start-up: customers' and employees' names."""

from __future__ import annotations

from models.customers import Customer
from models.tenants import Employee

NAME_LIMIT = 200_000  # enough for large tenants; the dictionary stays a few MB


async def known_names() -> list[str]:
    customers = await Customer.all().limit(NAME_LIMIT).values_list("name", flat=True)
    employees = await Employee.exclude(name="").limit(NAME_LIMIT).values_list("name", flat=True)
    return [str(name) for name in (*customers, *employees) if name]
