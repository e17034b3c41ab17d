"""Suppliers: 新增供应商 晨光文具 王五 13800000000, found by (part of) their name, and what a
supplier card shows (open purchase orders, purchases in the last 90 days, on-time rate,
return rate: the value sent back of the value received, at each line's price)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from models.erp import OPEN_PURCHASES, PurchaseLine, PurchaseOrder, PurchaseState, Supplier

USAGE = "请按这个格式写：新增供应商 名称 联系人 电话，例如：新增供应商 晨光文具 王五 13800000000"
NOT_FOUND = "没有找到供应商「{name}」。先「新增供应商 {name} 联系人 电话」。"
SEVERAL = "「{name}」对应多个供应商：{names}。请写全名。"
EXISTS = "供应商「{name}」已经有了。"
DISABLED = "供应商「{name}」已停用。管理员发送「恢复供应商 {name}」后才能向它采购。"
_PHONE = re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
RECENT_DAYS = 90


@dataclass(frozen=True, slots=True)
class SupplierAsked:
    name: str
    contact: str
    mobile: str
    note: str


def read_supplier(text: str) -> SupplierAsked:
    words = [w for w in re.split(r"[\s，,；;]+", text.strip()) if w]
    if not words or len(words[0]) > 64 or _PHONE.match(words[0]):
        raise UserFacingError(USAGE)
    name, contact, mobile, rest = words[0], "", "", []
    for said in words[1:]:
        word = said.removeprefix("联系人").removeprefix("电话").strip("：: ")
        if not mobile and _PHONE.match(word):
            mobile = word
        elif not contact and not any(ch.isdigit() for ch in word):
            contact = word[:32]
        else:
            rest.append(word)
    return SupplierAsked(name, contact, mobile, " ".join(rest)[:200])


async def add_supplier(tenant_id: int, asked: SupplierAsked, now: datetime) -> Supplier:
    if await Supplier.exists(tenant_id=tenant_id, name=asked.name):
        raise UserFacingError(EXISTS.format(name=asked.name))
    try:
        async with in_transaction():
            return await Supplier.create(
                tenant_id=tenant_id,
                name=asked.name,
                contact=asked.contact,
                mobile=asked.mobile,
                note=asked.note,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise UserFacingError(EXISTS.format(name=asked.name)) from exc


async def find_supplier(tenant_id: int, text: str) -> Supplier:
    """By exact name, else the one supplier whose name contains it (晨光 → 晨光文具)."""
    name = text.strip()
    exact = await Supplier.get_or_none(tenant_id=tenant_id, name=name)
    if exact is not None:
        return exact
    like = await Supplier.filter(tenant_id=tenant_id, name__contains=name).limit(6)
    if len(like) > 1:
        enabled = [s for s in like if s.enabled]
        if len(enabled) == 1:
            return enabled[0]
        raise UserFacingError(SEVERAL.format(name=name, names="、".join(s.name for s in like)))
    if not like:
        raise UserFacingError(NOT_FOUND.format(name=name))
    return like[0]


async def enabled_supplier(tenant_id: int, text: str) -> Supplier:
    supplier = await find_supplier(tenant_id, text)
    if not supplier.enabled:
        raise UserFacingError(DISABLED.format(name=supplier.name))
    return supplier


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    open_orders: list[PurchaseOrder]
    recent_fen: int  # confirmed, not cancelled, in the last 90 days
    recent_orders: int
    on_time: int  # received in full by the day they were due …
    timed: int  # … of those received in full that named a day
    received_fen: int = 0  # of the recent orders: what arrived, at each line's price …
    returned_fen: int = 0  # … and what went back (退货)

    @property
    def return_percent(self) -> float | None:
        return 100 * self.returned_fen / self.received_fen if self.received_fen else None


async def supplier_record(supplier: Supplier, now: datetime, tz: ZoneInfo) -> SupplierRecord:
    orders = PurchaseOrder.filter(tenant_id=supplier.tenant_id, supplier_id=supplier.id)
    open_orders = await orders.filter(state__in=(PurchaseState.DRAFT, *OPEN_PURCHASES)).order_by(
        "id"
    )
    since = now - timedelta(days=RECENT_DAYS)
    recent = await orders.filter(confirmed_at__gte=since, state__not=PurchaseState.CANCELLED)
    done = await orders.filter(
        state=PurchaseState.RECEIVED, received_at__gte=since, expected_date__isnull=False
    )
    on_time = sum(
        1
        for o in done
        if o.received_at is not None
        and o.expected_date is not None
        and o.received_at.astimezone(tz).date() <= o.expected_date
    )
    lines = await PurchaseLine.filter(order_id__in=[o.id for o in recent], received__gt=0)
    return SupplierRecord(
        open_orders,
        sum(o.total_fen for o in recent),
        len(recent),
        on_time,
        len(done),
        sum(line.received * line.unit_price_fen for line in lines),
        sum(line.returned * line.unit_price_fen for line in lines),
    )
