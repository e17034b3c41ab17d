"""Tenants: syncing them from config into the database, and a cache for the hot path.

Every callback needs its tenant's keys before anything else, so the directory keeps an
immutable ``TenantInfo`` per key for a short while instead of querying on each request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.config import TENANT_KEY_RE, TenantSettings
from bot.wecom.client import AppCredentials
from bot.wecom.crypto import CallbackCrypto
from models.aibot import TenantAibot
from models.tenants import Tenant


@dataclass(frozen=True, slots=True)
class AibotInfo:
    """A tenant's group bot and notice targets; ``crypto`` is None without a group bot."""

    crypto: CallbackCrypto | None = None
    bot_id: str = ""
    name: str = ""
    admin_chat_id: str = ""
    webhook_key: str = ""

    @classmethod
    def from_row(cls, row: TenantAibot | None) -> AibotInfo:
        if row is None:
            return cls()
        # The group bot's receive id is the empty string (doc 101033).
        crypto = CallbackCrypto(row.token, row.encoding_aes_key, "") if row.token else None
        return cls(crypto, row.bot_id, row.name, row.admin_chat_id, row.webhook_key)


@dataclass(frozen=True, slots=True)
class TenantInfo:
    id: int
    key: str
    corp_id: str
    name: str
    timezone: ZoneInfo
    admins: tuple[str, ...]
    credentials: AppCredentials
    crypto: CallbackCrypto
    aibot: AibotInfo = AibotInfo()

    @classmethod
    def from_row(cls, row: Tenant, aibot: TenantAibot | None = None) -> TenantInfo:
        return cls(
            id=row.id,
            key=row.key,
            corp_id=row.corp_id,
            name=row.name,
            timezone=ZoneInfo(row.timezone),
            admins=tuple(row.admins),
            credentials=AppCredentials(row.corp_id, row.secret, row.agent_id),
            crypto=CallbackCrypto(row.token, row.encoding_aes_key, row.corp_id),
            aibot=AibotInfo.from_row(aibot),
        )


class TenantDirectory:
    """Tenant lookups by key or id, cached for ``ttl`` seconds so `scrm-bot tenant add` run
    from another process is picked up without a restart.

    Keys that name no tenant are remembered too, for ``unknown_ttl`` seconds and at most
    ``unknown_limit`` of them, so a stranger probing callback URLs costs no database query
    per request; a key that could never be a tenant's is refused without any."""

    def __init__(
        self,
        ttl: float = 30.0,
        *,
        unknown_ttl: float = 10.0,
        unknown_limit: int = 1024,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._unknown_ttl = unknown_ttl
        self._unknown_limit = unknown_limit
        self._monotonic = monotonic
        self._by_key: dict[str, tuple[float, TenantInfo]] = {}
        self._by_id: dict[int, tuple[float, TenantInfo]] = {}
        self._unknown: OrderedDict[str, float] = OrderedDict()

    async def get(self, key: str) -> TenantInfo | None:
        if not TENANT_KEY_RE.fullmatch(key):
            return None
        now = self._monotonic()
        cached = self._by_key.get(key)
        if cached and cached[0] > now:
            return cached[1]
        if self._unknown.get(key, 0.0) > now:
            return None
        info = await self._remember(await Tenant.get_or_none(key=key))
        if info is None:
            self._remember_unknown(key, now)
        return info

    def _remember_unknown(self, key: str, now: float) -> None:
        if self._unknown_ttl <= 0:
            return
        self._unknown.pop(key, None)
        self._unknown[key] = now + self._unknown_ttl
        while len(self._unknown) > self._unknown_limit:
            self._unknown.popitem(last=False)  # the oldest probe goes first

    async def get_by_id(self, tenant_id: int) -> TenantInfo | None:
        cached = self._by_id.get(tenant_id)
        if cached and cached[0] > self._monotonic():
            return cached[1]
        return await self._remember(await Tenant.get_or_none(id=tenant_id))

    async def _remember(self, row: Tenant | None) -> TenantInfo | None:
        if row is None:
            return None
        info = TenantInfo.from_row(row, await TenantAibot.get_or_none(tenant_id=row.id))
        expires = self._monotonic() + self._ttl
        self._unknown.pop(info.key, None)
        self._by_key[info.key] = (expires, info)
        self._by_id[info.id] = (expires, info)
        return info

    def forget(self, key: str) -> None:
        self._unknown.pop(key, None)
        info = self._by_key.pop(key, None)
        if info:
            self._by_id.pop(info[1].id, None)


async def upsert_tenant(tenant: TenantSettings) -> Tenant:
    values = {
        "corp_id": tenant.corp_id,
        "name": tenant.name,
        "timezone": tenant.timezone,
        "admins": list(tenant.admins),
        "agent_id": tenant.app.agent_id,
        "secret": tenant.app.secret,
        "token": tenant.app.token,
        "encoding_aes_key": tenant.app.encoding_aes_key,
    }
    row, _ = await Tenant.update_or_create(defaults=values, key=tenant.key)
    await _sync_aibot(row, tenant)
    return row


async def _sync_aibot(row: Tenant, tenant: TenantSettings) -> None:
    aibot = tenant.aibot
    values = {
        "token": aibot.token,
        "encoding_aes_key": aibot.encoding_aes_key,
        "bot_id": aibot.bot_id,
        "name": aibot.name,
        "admin_chat_id": aibot.admin_chat_id,
        "webhook_key": aibot.webhook_key,
    }
    if any(values.values()):
        await TenantAibot.update_or_create(defaults=values, tenant_id=row.id)
    else:  # the table was removed from the config
        await TenantAibot.filter(tenant_id=row.id).delete()


async def sync_tenants(tenants: Iterable[TenantSettings]) -> list[Tenant]:
    """Config is the source of truth for the tenants it names; others (added with the CLI)
    are left alone."""
    return [await upsert_tenant(t) for t in tenants]
