"""Helpers for the ERP-lite tests: the bot on a frozen Monday, the tenant on the ERP edition,
named colleagues, and products and warehouses made straight in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from support.billing import subscribe
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.tickets import STAFF, colleague

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.erp import Warehouse
from models.products import Product

ERP_EDITION = Plan(edition="erp", seats=10, period="month")


@asynccontextmanager
async def erp_chat(
    settings: Settings, clock: FrozenClock, plan: Plan | None = ERP_EDITION
) -> AsyncIterator[Chat]:
    """A chat whose tenant (acme) has ``plan`` (None: the default trial, without the ERP)."""
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        if plan is not None:
            await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), plan)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        yield chat
        await chat.embedded.runtime.tasks.drain()


async def product(
    name: str = "A4纸", unit: str = "箱", price_fen: int = 2500, min_qty: int | None = None
) -> Product:
    return await Product.create(
        tenant_id=1,
        name=name,
        unit=unit,
        sale_price_fen=price_fen,
        min_qty=min_qty,
        created_at=MONDAY_10AM,
        updated_at=MONDAY_10AM,
    )


async def warehouse(name: str, tenant_id: int = 1) -> Warehouse:
    return await Warehouse.create(tenant_id=tenant_id, name=name, created_at=MONDAY_10AM)
