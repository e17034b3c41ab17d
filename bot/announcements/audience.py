"""Who an announcement is for: everyone, an edition, a module, or named tenants.

Written after 给 in 发布公告 (``给 售后服务版``, ``给 呼叫中心模块``, ``给 星辰科技,远航贸易``);
the names in one audience are all of one kind. The provider's own tenants (where operators
sit) are never in "everyone", an edition or a module: they are the sender."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.dispatch.errors import UserFacingError
from bot.subscription.asks import spellings
from bot.subscription.catalog_types import Catalog, UnknownItemError
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from models.announcements import Announcement, AudienceKind
from models.tenants import Tenant

EVERYONE_WORDS = frozenset(
    {"全部", "所有", "所有人", "大家", "全部客户", "所有客户", "全体", "全体客户"}
)
_SEPARATORS = re.compile(r"\s*(?:[,，、;；]|和|及|以及)\s*")
UNKNOWN = "没有叫「{name}」的版本、模块或客户企业。版本有：{editions}；模块有：{modules}。"
MIXED = "一次只能按一种方式选受众（版本、模块或企业），「{name}」和前面的不是一类。"
TOO_MANY = "一次最多指定 {limit} 个企业。"
MAX_NAMES = 50


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    values: tuple[str, ...] = ()


EVERYONE = Audience(AudienceKind.ALL)


def _find_edition(catalog: Catalog, name: str) -> str | None:
    for spelling in spellings(name, "版"):
        try:
            return catalog.edition(spelling).code
        except UnknownItemError:
            continue
    return None


def _find_module(catalog: Catalog, name: str) -> str | None:
    for spelling in (*spellings(name, "模块"), *spellings(name, "功能")):
        try:
            return catalog.module(spelling).code
        except UnknownItemError:
            continue
    return None


async def _find_tenant(name: str) -> str | None:
    tenant = await Tenant.filter(name=name).first() or await Tenant.filter(key=name).first()
    return tenant.key if tenant is not None else None


async def _one(catalog: Catalog, name: str) -> tuple[AudienceKind, str]:
    edition = _find_edition(catalog, name)
    if edition is not None:
        return AudienceKind.EDITION, edition
    module = _find_module(catalog, name)
    if module is not None:
        return AudienceKind.MODULE, module
    tenant = await _find_tenant(name)
    if tenant is not None:
        return AudienceKind.TENANTS, tenant
    editions = "、".join(e.name for e in catalog.editions)
    modules = "、".join(m.name for m in catalog.modules)
    raise UserFacingError(UNKNOWN.format(name=name, editions=editions, modules=modules))


async def read_audience(catalog: Catalog, text: str) -> Audience:
    """The audience named by ``text`` (what follows 给); everyone when it says so or is empty."""
    text = text.strip().removesuffix("的客户").removesuffix("客户").strip() or text.strip()
    if not text or text in EVERYONE_WORDS:
        return EVERYONE
    names = [n for n in _SEPARATORS.split(text) if n]
    if len(names) > MAX_NAMES:
        raise UserFacingError(TOO_MANY.format(limit=MAX_NAMES))
    kind: AudienceKind | None = None
    values: list[str] = []
    for name in names:
        found_kind, value = await _one(catalog, name)
        if kind is not None and found_kind is not kind:
            raise UserFacingError(MIXED.format(name=name))
        kind = found_kind
        if value not in values:
            values.append(value)
    assert kind is not None
    return Audience(kind, tuple(values))


async def describe(catalog: Catalog, kind: AudienceKind, values: Sequence[str]) -> str:
    """给 whom, as people read it: 全部客户 / 售后服务版 / 呼叫中心模块 / 星辰科技、远航贸易."""
    if kind is AudienceKind.ALL:
        return "全部客户"
    if kind is AudienceKind.EDITION:
        return "、".join(catalog.edition(code).name for code in values)
    if kind is AudienceKind.MODULE:
        return "、".join(f"{catalog.module(code).name}模块" for code in values)
    names = dict(await Tenant.filter(key__in=list(values)).values_list("key", "name"))
    return "、".join(str(names.get(key, key)) for key in values)


async def reaches(
    billing: Billing, announcement: Announcement, tenant: Tenant, providers: frozenset[str]
) -> bool:
    """Whether ``tenant`` is in the announcement's audience, by its plan today."""
    kind, values = announcement.audience, announcement.audience_values
    if kind is AudienceKind.TENANTS:
        return tenant.key in values
    if tenant.key in providers:
        return False
    if kind is AudienceKind.ALL:
        return True
    plan = (await billing.snapshot(tenant.id)).term.plan
    if kind is AudienceKind.EDITION:
        return plan.edition in values
    return bool(granted_modules(billing.catalog, plan) & set(values))


async def audience_tenants(
    billing: Billing, announcement: Announcement, providers: frozenset[str]
) -> list[Tenant]:
    tenants = await Tenant.all().order_by("id")
    return [t for t in tenants if await reaches(billing, announcement, t, providers)]
