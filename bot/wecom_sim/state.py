"""The WeCom simulator's in-memory state: tenants, tokens, rate windows, media and the sent log.

Every table here is bounded (a cap, a sweep or both) so a simulator left running under a
benchmark keeps a flat memory profile.
"""

from __future__ import annotations

import itertools
import secrets
from collections import OrderedDict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from bot.clock import Clock
from bot.wecom.crypto import CallbackCrypto
from bot.wecom_sim.messages import MAX_DUPLICATE_INTERVAL

SENT_HISTORY_LIMIT = 10_000
TOKEN_TABLE_LIMIT = 1_000
MEDIA_TABLE_LIMIT = 10_000
DUPLICATE_TABLE_LIMIT = 10_000
# WeCom keeps a media_id for three days.
MEDIA_LIFETIME = timedelta(days=3)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SimTenant:
    """One self-built app the simulator plays WeCom for."""

    key: str
    corp_id: str
    name: str
    agent_id: int
    secret: str
    token: str
    encoding_aes_key: str
    callback_url: str  # full URL of the bot's callback, e.g. http://127.0.0.1:8080/wecom/demo/app
    # The tenant's group bot (empty token: none) and group webhook robot; see sim_aibot.
    aibot_token: str = ""
    aibot_aes_key: str = ""
    aibot_url: str = ""  # e.g. http://127.0.0.1:8080/wecom/demo/aibot
    aibot_id: str = ""
    webhook_key: str = ""


@dataclass(frozen=True, slots=True)
class SimConfig:
    token_ttl: timedelta
    callback_timeout: float
    callback_attempts: int
    member_limit_per_minute: int
    corp_limit_per_minute: int

    def __post_init__(self) -> None:
        if self.token_ttl <= timedelta(0):
            raise ValueError("token_ttl_seconds must be positive")
        if self.callback_timeout <= 0:
            raise ValueError("callback_timeout must be positive")
        if self.callback_attempts < 1:
            raise ValueError("callback_attempts must be at least 1")
        if self.member_limit_per_minute < 1 or self.corp_limit_per_minute < 1:
            raise ValueError("rate limits must be at least 1")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    tenant: SimTenant
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class MediaFile:
    media_type: str
    filename: str
    size: int
    created_at: datetime
    content: bytes = b""  # kept for a file a member sent (media/get serves it)


class TokenStore:
    """Access tokens as WeCom hands them out: one per app, the same one until it expires."""

    def __init__(self, clock: Clock, ttl: timedelta, limit: int = TOKEN_TABLE_LIMIT) -> None:
        self._clock = clock
        self._ttl = ttl
        self._limit = limit
        # Expired tokens stay known (up to the cap) so callers see 42001 rather than 40014.
        self._tokens: OrderedDict[str, IssuedToken] = OrderedDict()
        self._current: dict[str, str] = {}

    def issue(self, tenant: SimTenant) -> tuple[str, int]:
        """The app's live token and its remaining seconds, minting a new one if needed."""
        now = self._clock.now()
        current = self._current.get(tenant.key)
        issued = self._tokens.get(current) if current else None
        if current and issued and issued.expires_at > now:
            return current, int((issued.expires_at - now).total_seconds())
        token = secrets.token_urlsafe(48)
        self._tokens[token] = IssuedToken(tenant, now + self._ttl)
        self._current[tenant.key] = token
        while len(self._tokens) > self._limit:
            self._tokens.popitem(last=False)
        return token, int(self._ttl.total_seconds())

    def get(self, token: str) -> IssuedToken | None:
        return self._tokens.get(token)

    def expire_all(self) -> int:
        now = self._clock.now()
        for token, issued in list(self._tokens.items()):
            self._tokens[token] = IssuedToken(issued.tenant, min(issued.expires_at, now))
        return len(self._tokens)


class SlidingWindow:
    """Counts accepted events per key over a trailing window."""

    def __init__(self, window: timedelta) -> None:
        self._window = window
        self._hits: dict[Hashable, deque[datetime]] = {}
        self._last_sweep: datetime | None = None

    def allow(self, key: Hashable, now: datetime, limit: int) -> bool:
        """Record an event for ``key`` unless that would exceed ``limit`` in the window."""
        self._sweep(now)
        hits = self._hits.setdefault(key, deque())
        horizon = now - self._window
        while hits and hits[0] <= horizon:
            hits.popleft()
        if len(hits) >= limit:
            return False
        hits.append(now)
        return True

    def _sweep(self, now: datetime) -> None:
        # Once per window, forget keys with no recent events so the table tracks only the
        # members and APIs active right now.
        if self._last_sweep is not None and now - self._last_sweep < self._window:
            return
        self._last_sweep = now
        horizon = now - self._window
        stale = [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]
        for key in stale:
            del self._hits[key]


class DuplicateGuard:
    """Remembers when each message content was last delivered, for enable_duplicate_check."""

    def __init__(self, horizon: timedelta, limit: int = DUPLICATE_TABLE_LIMIT) -> None:
        self._horizon = horizon
        self._limit = limit
        self._seen: OrderedDict[Hashable, datetime] = OrderedDict()

    def seen_within(self, key: Hashable, now: datetime, interval: timedelta) -> bool:
        last = self._seen.get(key)
        return last is not None and now - last < interval

    def remember(self, key: Hashable, now: datetime) -> None:
        self._seen[key] = now
        self._seen.move_to_end(key)
        while self._seen and (
            len(self._seen) > self._limit or now - next(iter(self._seen.values())) > self._horizon
        ):
            self._seen.popitem(last=False)


class MediaStore:
    """Metadata of uploaded media (the bytes are discarded), valid for three days."""

    def __init__(self, clock: Clock, limit: int = MEDIA_TABLE_LIMIT) -> None:
        self._clock = clock
        self._limit = limit
        self._files: OrderedDict[str, MediaFile] = OrderedDict()

    def add(
        self, media_type: str, filename: str, size: int, content: bytes = b""
    ) -> tuple[str, MediaFile]:
        media_id = "3" + secrets.token_urlsafe(48)
        media = MediaFile(media_type, filename, size, self._clock.now(), content)
        self._files[media_id] = media
        while len(self._files) > self._limit:
            self._files.popitem(last=False)
        return media_id, media

    def get(self, media_id: str) -> MediaFile | None:
        """The file while WeCom still keeps it (three days), else None."""
        return self._files.get(media_id) if self.is_valid(media_id) else None

    def is_valid(self, media_id: str) -> bool:
        media = self._files.get(media_id)
        return media is not None and self._clock.now() - media.created_at < MEDIA_LIFETIME


class SentLog:
    """The record of every API call that sends something, newest last.

    Each record carries ``seq``, its position in the log since the last clear. It keeps
    counting when old records fall off the cap, so ``since(seq)`` stays correct in long runs.
    """

    def __init__(self, limit: int = SENT_HISTORY_LIMIT) -> None:
        self._records: deque[dict[str, Any]] = deque(maxlen=limit)
        self._total = 0

    @property
    def total(self) -> int:
        return self._total

    def append(self, api: str, body: Mapping[str, Any], at: datetime, **extra: Any) -> None:
        record: dict[str, Any] = {"seq": self._total, "api": api, "body": dict(body)}
        record.update(at=at.isoformat(), dropped=False)
        record.update(extra)
        self._records.append(record)
        self._total += 1

    def since(self, seq: int) -> list[dict[str, Any]]:
        first = self._total - len(self._records)
        return list(itertools.islice(self._records, max(0, seq - first), None))

    def clear(self) -> int:
        cleared = len(self._records)
        self._records.clear()
        self._total = 0
        return cleared


class SimState:
    """Everything one simulator instance knows; stored on the app under ``SIM_STATE``."""

    def __init__(self, tenants: Sequence[SimTenant], clock: Clock, config: SimConfig) -> None:
        self.tenants = _index_tenants(tenants)
        # Built up front so a bad EncodingAESKey fails at startup, not on the first callback.
        self.cryptos = {
            t.key: CallbackCrypto(t.token, t.encoding_aes_key, t.corp_id) for t in tenants
        }
        self.clock = clock
        self.config = config
        self.tokens = TokenStore(clock, config.token_ttl)
        self.member_window = SlidingWindow(MINUTE)
        self.corp_window = SlidingWindow(MINUTE)
        self.duplicates = DuplicateGuard(timedelta(seconds=MAX_DUPLICATE_INTERVAL))
        self.media = MediaStore(clock)
        self.sent = SentLog()
        # WeCom MsgIds are large 64-bit numbers; a random base keeps runs from looking alike.
        self._msg_ids = itertools.count(secrets.randbelow(2**61) + 2**61)

    def next_msg_id(self) -> int:
        return next(self._msg_ids)

    def apps_of_corp(self, corp_id: str) -> list[SimTenant]:
        return [t for t in self.tenants.values() if t.corp_id == corp_id]


def _index_tenants(tenants: Iterable[SimTenant]) -> dict[str, SimTenant]:
    indexed: dict[str, SimTenant] = {}
    for tenant in tenants:
        if tenant.key in indexed:
            raise ValueError(f"duplicate simulator tenant key {tenant.key!r}")
        indexed[tenant.key] = tenant
    return indexed


SIM_STATE = web.AppKey("sim_state", SimState)
SIM_HTTP = web.AppKey("sim_http", aiohttp.ClientSession)
