"""Warehouses: the default one (总仓) made on a tenant's first need, others by name."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from models.erp import Warehouse

DEFAULT_NAME = "总仓"
MAX_NAME = 32
NOT_FOUND = "没有找到仓库「{name}」。现有仓库：{names}。新仓库请管理员发送「新增仓库 {name}」。"
EXISTS = "仓库「{name}」已经有了。"
BAD_NAME = "仓库名请写 1 到 32 个字，不带空格，例如：新增仓库 门店"


async def default_warehouse(tenant_id: int, now: datetime) -> Warehouse:
    """The tenant's default warehouse, made on first need. Two first moves racing both try;
    the unique (tenant, name) index keeps one (inside a savepoint, so the caller's
    transaction lives on) and the other reads it."""
    found = await Warehouse.filter(tenant_id=tenant_id, is_default=True).first()
    if found is not None:
        return found
    try:
        async with in_transaction():
            return await Warehouse.create(
                tenant_id=tenant_id, name=DEFAULT_NAME, is_default=True, created_at=now
            )
    except IntegrityError:
        return await Warehouse.get(tenant_id=tenant_id, name=DEFAULT_NAME)


async def warehouses_of(tenant_id: int, now: datetime) -> list[Warehouse]:
    await default_warehouse(tenant_id, now)
    return await Warehouse.filter(tenant_id=tenant_id).order_by("-is_default", "id")


async def named_warehouse(tenant_id: int, name: str) -> Warehouse | None:
    return await Warehouse.get_or_none(tenant_id=tenant_id, name=name)


def said_as(said: str) -> tuple[str, ...]:
    """The names ``said`` may mean, closest first: 门店仓 is 门店 when only 门店 exists, and
    门店 is 门店仓 the other way round."""
    bare = said.removesuffix("仓库").removesuffix("仓")
    return tuple(dict.fromkeys((said, bare, f"{bare}仓", f"{bare}仓库")))


async def warehouse_said(tenant_id: int, said: str) -> Warehouse | None:
    """The warehouse a person meant by ``said``, or None when no name fits."""
    names = said_as(said)
    found = {w.name: w for w in await Warehouse.filter(tenant_id=tenant_id, name__in=names)}
    return next((found[name] for name in names if name in found), None)


async def warehouse_or_refusal(tenant_id: int, name: str, now: datetime) -> Warehouse:
    found = await named_warehouse(tenant_id, name)
    if found is not None:
        return found
    names = "、".join(w.name for w in await warehouses_of(tenant_id, now))
    raise UserFacingError(NOT_FOUND.format(name=name, names=names))


async def add_warehouse(tenant_id: int, name: str, now: datetime) -> Warehouse:
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ch.isspace() for ch in name):
        raise UserFacingError(BAD_NAME)
    await default_warehouse(tenant_id, now)
    if await named_warehouse(tenant_id, name) is not None:
        raise UserFacingError(EXISTS.format(name=name))
    try:
        async with in_transaction():
            return await Warehouse.create(tenant_id=tenant_id, name=name, created_at=now)
    except IntegrityError as exc:
        raise UserFacingError(EXISTS.format(name=name)) from exc
