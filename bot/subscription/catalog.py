"""The product catalog: editions, modules, billing periods, bundles and service items.

Prices are data: they live in ``catalog.toml`` beside this module, or in a file the vendor names,
optionally deep-merged with an override table from config. ``load_catalog`` validates all of it
up front and raises ``CatalogError`` naming the key and what was expected, so a typo stops startup
instead of mispricing an order.

Items are found by code or by what people type in chat: ``catalog.module("工单")``,
``catalog.module("tickets")`` and ``catalog.module("售后工单")`` are the same module.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from bot.subscription.catalog_schema import deep_merge, parse_catalog
from bot.subscription.catalog_types import (
    BillingPeriod,
    Bundle,
    Catalog,
    CatalogError,
    Edition,
    Module,
    Price,
    PriceBasis,
    ServiceItem,
    UnknownItemError,
    names_of,
    normalize_name,
)

__all__ = [
    "PACKAGED",
    "BillingPeriod",
    "Bundle",
    "Catalog",
    "CatalogError",
    "Edition",
    "Module",
    "Price",
    "PriceBasis",
    "ServiceItem",
    "UnknownItemError",
    "load_catalog",
    "names_of",
    "normalize_name",
]

PACKAGED = "catalog.toml"


def load_catalog(path: Path | None = None, overrides: Mapping[str, Any] | None = None) -> Catalog:
    """The packaged catalog, or the file at ``path``, deep-merged with ``overrides``."""
    source = str(path) if path is not None else f"bot/subscription/{PACKAGED}"
    raw = _read_toml(path, source)
    if overrides:
        raw = deep_merge(raw, overrides)
        source = f"{source} (with overrides)"
    return parse_catalog(raw, source)


def _read_toml(path: Path | None, source: str) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("bot.subscription").joinpath(PACKAGED).read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError("", "an existing catalog file", source) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError("", f"valid TOML ({exc})", source) from exc
