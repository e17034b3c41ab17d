"""The optional ``[subscription]`` config table: catalog source, operators, notice timing.

Parsed by ``bot.config`` (which turns ``SubscriptionConfigError`` into its ``ConfigError``, so
the CLI reports the key path and exits with code 2). The catalog is loaded and validated here,
at start-up, so a mistyped price override stops the bot instead of mispricing an order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.subscription.catalog import Catalog, CatalogError, load_catalog

KNOWN_KEYS = (
    "catalog_path",
    "catalog",
    "operators",
    "renewal_notice_days",
    "cancel_after_days",
    "order_valid_days",
    "seat_usage_notice_percent",
)
DEFAULT_NOTICE_DAYS = (30, 7, 3, 1, 0)
OPERATOR_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}:[A-Za-z0-9_.@-]{1,64}$")


class SubscriptionConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Operator:
    """A person at the vendor who may confirm payments in chat: a userid of one tenant, so
    a namesake in a customer's enterprise is never mistaken for them."""

    tenant_key: str
    userid: str


@dataclass(frozen=True, slots=True)
class SubscriptionSettings:
    catalog: Catalog = field(default_factory=load_catalog)
    operators: tuple[Operator, ...] = ()
    renewal_notice_days: tuple[int, ...] = DEFAULT_NOTICE_DAYS  # largest first
    cancel_after_days: int = 30  # days suspended before the subscription counts as cancelled
    order_valid_days: int = 7  # an unpaid order expires after this many days
    seat_usage_notice_percent: int = 90

    def is_operator(self, tenant_key: str, userid: str | None) -> bool:
        return any(op.tenant_key == tenant_key and op.userid == userid for op in self.operators)


def _integer(data: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SubscriptionConfigError(
            f"subscription.{name}", f"an integer from {low} to {high}, got {value!r}"
        )
    return value


def _notice_days(data: Mapping[str, Any]) -> tuple[int, ...]:
    value = data.get("renewal_notice_days", list(DEFAULT_NOTICE_DAYS))
    valid = isinstance(value, list) and all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 366 for d in value
    )
    if not valid or len(set(value)) != len(value):
        raise SubscriptionConfigError(
            "subscription.renewal_notice_days",
            f"a list of distinct whole days from 0 to 366 such as [30, 7, 3, 1, 0], got {value!r}",
        )
    return tuple(sorted(value, reverse=True))


def _operators(data: Mapping[str, Any]) -> tuple[Operator, ...]:
    value = data.get("operators", [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and OPERATOR_RE.match(v) for v in value
    ):
        raise SubscriptionConfigError(
            "subscription.operators",
            f'a list of "tenant_key:userid" strings such as ["vendor:wangfang"], got {value!r}',
        )
    return tuple(Operator(*v.split(":", 1)) for v in value)


def _catalog(data: Mapping[str, Any]) -> Catalog:
    path = data.get("catalog_path")
    if path is not None and (not isinstance(path, str) or not path.strip()):
        raise SubscriptionConfigError(
            "subscription.catalog_path", f"the path of a catalog TOML file, got {path!r}"
        )
    overrides = data.get("catalog", {})
    if not isinstance(overrides, Mapping):
        raise SubscriptionConfigError("subscription.catalog", "a table of catalog overrides")
    try:
        return load_catalog(Path(path) if path else None, overrides)
    except CatalogError as exc:
        # Name the key where the user wrote it: an override under [subscription.catalog], or
        # else the catalog file itself.
        if exc.path and exc.path.split(".")[0] in overrides:
            raise SubscriptionConfigError(f"subscription.catalog.{exc.path}", exc.expected) from exc
        raise SubscriptionConfigError(
            "subscription.catalog_path", f"a valid catalog ({exc})"
        ) from exc


def parse_subscription(raw: object) -> SubscriptionSettings:
    """``raw`` is the ``[subscription]`` table, or None when the config has none."""
    if raw is None:
        return SubscriptionSettings()
    if not isinstance(raw, Mapping):
        raise SubscriptionConfigError("subscription", "a table")
    for name in raw:
        if name not in KNOWN_KEYS:
            raise SubscriptionConfigError(
                f"subscription.{name}", f"one of the known keys ({', '.join(KNOWN_KEYS)})"
            )
    return SubscriptionSettings(
        catalog=_catalog(raw),
        operators=_operators(raw),
        renewal_notice_days=_notice_days(raw),
        cancel_after_days=_integer(raw, "cancel_after_days", 30, 1, 3650),
        order_valid_days=_integer(raw, "order_valid_days", 7, 1, 365),
        seat_usage_notice_percent=_integer(raw, "seat_usage_notice_percent", 90, 1, 100),
    )
