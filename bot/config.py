"""One TOML file into typed, frozen settings, validated up front.

Nothing here runs at import time: ``load_settings`` is called by the CLI. Any missing or invalid
key raises ``ConfigError`` naming the key's path and what was expected; the CLI turns that into
exit code 2. Secrets may come from environment variables instead of the file:

- ``SCRM_DATABASE_URL`` overrides ``[database] url``;
- ``SCRM_TENANT_<KEY>_SECRET``, ``SCRM_TENANT_<KEY>_TOKEN`` and
  ``SCRM_TENANT_<KEY>_AES_KEY`` override a tenant's ``[tenants.app]`` secret, token and
  encoding_aes_key (``<KEY>`` is the tenant key upper-cased, ``-`` as ``_``);
- ``SCRM_TENANT_<KEY>_AIBOT_TOKEN``, ``SCRM_TENANT_<KEY>_AIBOT_AES_KEY`` and
  ``SCRM_TENANT_<KEY>_WEBHOOK_KEY`` override ``[tenants.aibot]`` token, encoding_aes_key and
  webhook_key;
- ``SCRM_INSTALLATION_PHOTOS_SECRET_ACCESS_KEY`` overrides ``[installation.photos]``
  secret_access_key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.installation.settings import (
    InstallationConfigError,
    InstallationSettings,
    parse_installation,
)
from bot.provider.settings import ProviderConfigError, ProviderSettings, parse_provider
from bot.subscription.settings import (
    SubscriptionConfigError,
    SubscriptionSettings,
    parse_subscription,
)
from bot.surveys.settings import SurveyConfigError, SurveySettings, parse_surveys
from bot.tickets.settings import TicketConfigError, TicketSettings, parse_tickets
from bot.vendor_support.settings import (
    SupportConfigError,
    VendorSupportSettings,
    parse_vendor_support,
)

T = TypeVar("T")

TENANT_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
AES_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{43}$")


class ConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    public_base_url: str = "http://127.0.0.1:8080"


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str = "sqlite://data/scrm.db"


@dataclass(frozen=True, slots=True)
class WeComSettings:
    api_base: str = "https://qyapi.weixin.qq.com"
    replay_window_seconds: int = 300
    # How long a group-bot callback waits for its answer to go back in the HTTP reply
    # (WeCom waits 5 s); slower answers go out through the callback's response_url.
    passive_reply_seconds: float = 2.0


@dataclass(frozen=True, slots=True)
class LoggingSettings:
    format: str = "text"  # "json": one JSON object a line, with tenant and update ids


@dataclass(frozen=True, slots=True)
class RedisSettings:
    # Optional. Set, WeCom's rate limits are counted there for every replica together
    # (bot.pacing); unset, in PostgreSQL (or in memory on SQLite, one process).
    url: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class SimulatorSettings:
    port: int = 9010


@dataclass(frozen=True, slots=True)
class FollowupSettings:
    escalate_after_hours: int = 4  # owner reminded again after this; admins after twice this


@dataclass(frozen=True, slots=True)
class KnowledgeSettings:
    min_score: float = 0.3  # what the score means: bot/knowledge/index.py
    # Customers (微信客服) get an answer only above this: for them a wrong answer costs more
    # than being handed to a person.
    customer_min_score: float = 0.5


@dataclass(frozen=True, slots=True)
class AppSettings:
    agent_id: int
    # Kept out of repr so logging or printing settings never leaks them.
    secret: str = field(repr=False)
    token: str = field(repr=False)
    encoding_aes_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class AibotSettings:
    """The group bot (智能机器人) and where admin notices go; every key is optional."""

    token: str = field(default="", repr=False)
    encoding_aes_key: str = field(default="", repr=False)
    bot_id: str = ""
    name: str = ""  # the bot's display name, so "@name" is stripped wherever it appears
    admin_chat_id: str = ""  # an app group chat (appchat) for admin notices
    webhook_key: str = field(default="", repr=False)  # a group webhook robot for notices


@dataclass(frozen=True, slots=True)
class TenantSettings:
    key: str
    corp_id: str
    name: str
    timezone: str
    admins: tuple[str, ...]
    app: AppSettings
    aibot: AibotSettings = field(default_factory=AibotSettings)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Settings:
    server: ServerSettings
    database: DatabaseSettings
    wecom: WeComSettings
    simulator: SimulatorSettings
    tenants: tuple[TenantSettings, ...]
    subscription: SubscriptionSettings = field(default_factory=SubscriptionSettings)
    followups: FollowupSettings = field(default_factory=FollowupSettings)
    knowledge: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    surveys: SurveySettings = field(default_factory=SurveySettings)
    tickets: TicketSettings = field(default_factory=TicketSettings)
    vendor_support: VendorSupportSettings = field(default_factory=VendorSupportSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    redis: RedisSettings = field(default_factory=RedisSettings)
    provider: ProviderSettings = field(default_factory=ProviderSettings)
    installation: InstallationSettings = field(default_factory=InstallationSettings)

    def tenant(self, key: str) -> TenantSettings | None:
        return next((t for t in self.tenants if t.key == key), None)


class _Table:
    """A TOML table plus its dotted path, so every error can name the exact key."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path

    def _key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, kind: type[T], expected: str, default: T | None = None) -> T:
        if name not in self.data:
            if default is None:
                raise ConfigError(self._key(name), f"{expected} (the key is missing)")
            return default
        value = self.data[name]
        # bool is an int in Python; a port of `true` is still a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(self._key(name), f"{expected}, got {value!r}")
        return value

    def check(self, name: str, value: T, ok: Callable[[T], bool], expected: str) -> T:
        if not ok(value):
            raise ConfigError(self._key(name), f"{expected}, got {value!r}")
        return value

    def table(self, name: str, *, required: bool = False) -> _Table:
        value = self.data.get(name)
        if value is None:
            if required:
                raise ConfigError(self._key(name), "a table (the table is missing)")
            return _Table({}, self._key(name))
        if not isinstance(value, Mapping):
            raise ConfigError(self._key(name), "a table")
        return _Table(value, self._key(name))


def _port(table: _Table, name: str, default: int) -> int:
    value = table.get(name, int, "a TCP port number", default)
    return table.check(name, value, lambda p: 0 < p < 65536, "a port between 1 and 65535")


def _url(table: _Table, name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = table.get(name, str, "a URL", default)
    return table.check(
        name, value, lambda v: v.startswith(schemes), f"a URL starting with {' or '.join(schemes)}"
    )


def _server(root: _Table) -> ServerSettings:
    t = root.table("server")
    return ServerSettings(
        host=t.get("host", str, "a host name or IP address", "127.0.0.1"),
        port=_port(t, "port", 8080),
        public_base_url=_url(
            t, "public_base_url", "http://127.0.0.1:8080", ("http://", "https://")
        ).rstrip("/"),
    )


def _database(root: _Table, env: Mapping[str, str]) -> DatabaseSettings:
    t = root.table("database")
    url = env.get("SCRM_DATABASE_URL") or _url(
        t, "url", "sqlite://data/scrm.db", ("sqlite://", "postgres://", "postgresql://")
    )
    t.check(
        "url",
        url,
        lambda v: v.startswith(("sqlite://", "postgres://", "postgresql://")),
        "sqlite://PATH or postgres://user:password@host:5432/db",
    )
    return DatabaseSettings(url=url)


def _wecom(root: _Table) -> WeComSettings:
    t = root.table("wecom")
    window = t.get("replay_window_seconds", int, "a number of seconds (0 disables)", 300)
    t.check("replay_window_seconds", window, lambda w: w >= 0, "0 or more seconds")
    api_base = _url(t, "api_base", "https://qyapi.weixin.qq.com", ("http://", "https://"))
    passive = t.data.get("passive_reply_seconds", 2.0)
    t.check(
        "passive_reply_seconds",
        passive,
        lambda s: isinstance(s, int | float) and not isinstance(s, bool) and 0 <= s <= 4,
        "a number of seconds from 0 to 4",
    )
    return WeComSettings(
        api_base=api_base.rstrip("/"),
        replay_window_seconds=window,
        passive_reply_seconds=float(passive),
    )


def _env_name(tenant_key: str, what: str) -> str:
    return f"SCRM_TENANT_{tenant_key.upper().replace('-', '_')}_{what}"


def _app(t: _Table, tenant_key: str, env: Mapping[str, str]) -> AppSettings:
    def secret(name: str, env_what: str, expected: str) -> str:
        from_env = env.get(_env_name(tenant_key, env_what))
        value = from_env if from_env else t.get(name, str, expected)
        return t.check(name, value, bool, expected)

    aes_key = secret("encoding_aes_key", "AES_KEY", "the app's 43-character EncodingAESKey")
    t.check(
        "encoding_aes_key",
        aes_key,
        lambda v: bool(AES_KEY_RE.match(v)),
        "43 characters of A-Z, a-z, 0-9, + or /",
    )
    agent_id = t.get("agent_id", int, "the app's AgentId (an integer)")
    return AppSettings(
        agent_id=t.check("agent_id", agent_id, lambda a: a > 0, "a positive AgentId"),
        secret=secret("secret", "SECRET", "the app's Secret"),
        token=secret("token", "TOKEN", "the callback Token"),
        encoding_aes_key=aes_key,
    )


def _valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _tenant(t: _Table, env: Mapping[str, str]) -> TenantSettings:
    key = t.get("key", str, 'a short tenant key such as "demo"')
    t.check(
        "key",
        key,
        lambda v: bool(TENANT_KEY_RE.match(v)),
        "lower-case letters, digits, - or _ (at most 32)",
    )
    admins = t.get("admins", list, "a list of WeCom userids", [])
    t.check("admins", admins, lambda a: all(isinstance(x, str) and x for x in a), "userid strings")
    timezone = t.get("timezone", str, "an IANA timezone such as Asia/Shanghai", "Asia/Shanghai")
    return TenantSettings(
        key=key,
        corp_id=t.check("corp_id", t.get("corp_id", str, "the CorpID"), bool, "a non-empty CorpID"),
        name=t.get("name", str, "the enterprise's display name", key),
        timezone=t.check("timezone", timezone, _valid_timezone, "an IANA timezone"),
        admins=tuple(admins),
        app=_app(t.table("app", required=True), key, env),
        aibot=_aibot(t.table("aibot"), key, env),
    )


def _aibot(t: _Table, tenant_key: str, env: Mapping[str, str]) -> AibotSettings:
    def text(name: str, env_what: str | None, expected: str) -> str:
        from_env = env.get(_env_name(tenant_key, env_what)) if env_what else None
        return from_env or t.get(name, str, expected, "")

    token = text("token", "AIBOT_TOKEN", "the group bot's callback Token")
    aes_key = text("encoding_aes_key", "AIBOT_AES_KEY", "the group bot's EncodingAESKey")
    if bool(token) != bool(aes_key):
        missing = "encoding_aes_key" if token else "token"
        raise ConfigError(t._key(missing), "both token and encoding_aes_key, or neither")
    if aes_key:
        t.check(
            "encoding_aes_key",
            aes_key,
            lambda v: bool(AES_KEY_RE.match(v)),
            "43 characters of A-Z, a-z, 0-9, + or /",
        )
    return AibotSettings(
        token=token,
        encoding_aes_key=aes_key,
        bot_id=text("bot_id", None, "the group bot's BotID"),
        name=text("name", None, "the group bot's display name"),
        admin_chat_id=text("admin_chat_id", None, "an app group chat id (appchat chatid)"),
        webhook_key=text("webhook_key", "WEBHOOK_KEY", "a group webhook robot's key"),
    )


def _tenants(raw: Mapping[str, Any], env: Mapping[str, str]) -> tuple[TenantSettings, ...]:
    items = raw.get("tenants", [])
    if not isinstance(items, list):
        raise ConfigError("tenants", "an array of tables ([[tenants]])")
    tenants: list[TenantSettings] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ConfigError(f"tenants[{index}]", "a table")
        tenant = _tenant(_Table(item, f"tenants[{index}]"), env)
        if any(t.key == tenant.key for t in tenants):
            raise ConfigError(f"tenants[{index}].key", f"a unique key, {tenant.key!r} repeats")
        tenants.append(tenant)
    return tuple(tenants)


def parse_settings(raw: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Settings:
    env = env or {}
    root = _Table(raw, "")
    return Settings(
        server=_server(root),
        database=_database(root, env),
        wecom=_wecom(root),
        simulator=SimulatorSettings(port=_port(root.table("simulator"), "port", 9010)),
        tenants=_tenants(raw, env),
        subscription=_subscription(raw),
        followups=_followups(root),
        knowledge=_knowledge(root),
        surveys=_surveys(raw),
        tickets=_tickets(raw),
        vendor_support=_vendor_support(raw),
        logging=_logging(root),
        redis=_redis(root, env),
        provider=_provider(raw),
        installation=_installation(raw, env),
    )


def _redis(root: _Table, env: Mapping[str, str]) -> RedisSettings:
    t = root.table("redis")
    url = env.get("SCRM_REDIS_URL") or t.get("url", str, "redis://host:6379/0", "")
    t.check(
        "url",
        url,
        lambda v: not v or v.startswith(("redis://", "rediss://", "unix://")),
        "redis://host:6379/0 (or leave it out)",
    )
    return RedisSettings(url=url)


def _logging(root: _Table) -> LoggingSettings:
    t = root.table("logging")
    style = t.get("format", str, '"text" or "json"', "text")
    t.check("format", style, lambda s: s in ("text", "json"), '"text" or "json"')
    return LoggingSettings(format=style)


def _followups(root: _Table) -> FollowupSettings:
    t = root.table("followups")
    hours = t.get("escalate_after_hours", int, "a number of hours", 4)
    t.check("escalate_after_hours", hours, lambda h: h >= 1, "1 or more hours")
    return FollowupSettings(escalate_after_hours=hours)


def _tickets(raw: Mapping[str, Any]) -> TicketSettings:
    try:
        return parse_tickets(raw.get("tickets"))
    except TicketConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def _vendor_support(raw: Mapping[str, Any]) -> VendorSupportSettings:
    try:
        return parse_vendor_support(raw.get("vendor_support"))
    except SupportConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def _surveys(raw: Mapping[str, Any]) -> SurveySettings:
    try:
        return parse_surveys(raw.get("surveys"))
    except SurveyConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def _knowledge(root: _Table) -> KnowledgeSettings:
    t = root.table("knowledge")
    scores = {
        name: t.data.get(name, default)
        for name, default in (("min_score", 0.3), ("customer_min_score", 0.5))
    }
    for name, score in scores.items():
        t.check(
            name,
            score,
            lambda s: isinstance(s, int | float) and not isinstance(s, bool) and 0 <= s <= 2,
            "a number from 0 to 2, e.g. 0.5",
        )
    return KnowledgeSettings(**{name: float(score) for name, score in scores.items()})


def _installation(raw: Mapping[str, Any], env: Mapping[str, str]) -> InstallationSettings:
    try:
        return parse_installation(raw.get("installation"), env)
    except InstallationConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def _provider(raw: Mapping[str, Any]) -> ProviderSettings:
    try:
        return parse_provider(raw.get("provider"))
    except ProviderConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def _subscription(raw: Mapping[str, Any]) -> SubscriptionSettings:
    try:
        return parse_subscription(raw.get("subscription"))
    except SubscriptionConfigError as exc:
        raise ConfigError(exc.path, exc.expected) from exc


def load_settings(path: Path, env: Mapping[str, str] | None = None) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "an existing config file (copy config.example.toml)") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"valid TOML ({exc})") from exc
    return parse_settings(raw, env)
