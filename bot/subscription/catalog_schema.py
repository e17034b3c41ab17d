"""Raw catalog TOML into validated ``Catalog`` objects; every error names its key path."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

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
    names_of,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
TOP_LEVEL = (
    "days_per_month",
    "trial",
    "grace",
    "modules",
    "editions",
    "periods",
    "bundles",
    "services",
)
MAX_PRICE = Decimal("1e9")  # far above any real price; keeps quantize() inside its precision
MONEY_EXPECTED = 'a price in yuan: an integer or a quoted string with at most 2 decimals ("99.00")'


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` wins key by key; tables are merged recursively, anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged


class _Table:
    """One TOML table and its dotted path, so each error can name the exact key."""

    def __init__(self, data: Mapping[str, Any], path: str, source: str) -> None:
        self.data = data
        self.path = path
        self.source = source

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, expected: str) -> CatalogError:
        return CatalogError(self.key(name), expected, self.source)

    def bad(self, name: str, expected: str) -> CatalogError:
        return self.error(name, f"{expected}, got {self.data[name]!r}")

    def only(self, allowed: tuple[str, ...]) -> None:
        """Unknown keys are typos until proven otherwise: refuse them."""
        for name in self.data:
            if name not in allowed:
                raise self.error(name, f"one of the known keys ({', '.join(allowed)})")

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            raise self.error(name, "a non-empty string (the key is missing)")
        if not isinstance(value, str) or not value.strip():
            raise self.bad(name, "a non-empty string")
        return value.strip()

    def integer(self, name: str, minimum: int, default: int | None = None) -> int:
        value = self.data.get(name, default)
        if value is None:
            raise self.error(name, f"an integer ≥ {minimum} (the key is missing)")
        # bool is an int in Python, but `true` seats is still a mistake.
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.bad(name, f"an integer ≥ {minimum}")
        return value

    def decimal(self, name: str, expected: str) -> Decimal:
        if name not in self.data:
            raise self.error(name, f"{expected} (the key is missing)")
        value = self.data[name]
        # Floats are refused on purpose: they cannot hold most prices exactly.
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.bad(name, expected)
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation as exc:
            raise self.bad(name, expected) from exc
        if not number.is_finite() or number < 0:
            raise self.bad(name, expected)
        return number

    def money(self, name: str) -> Decimal:
        amount = self.decimal(name, MONEY_EXPECTED)
        exponent = amount.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -2 or amount >= MAX_PRICE:
            raise self.bad(name, MONEY_EXPECTED)
        return amount.quantize(Decimal("0.01"))

    def words(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(name, None if required else [])
        expected = "a list of non-empty strings"
        if value is None:
            raise self.error(name, f"{expected} (the key is missing)")
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.bad(name, expected)
        return tuple(v.strip() for v in value)

    def table(self, name: str) -> _Table:
        value = self.data.get(name)
        if not isinstance(value, Mapping):
            raise self.error(name, "a table" + (" (the table is missing)" if value is None else ""))
        return _Table(value, self.key(name), self.source)

    def items(self, name: str) -> Iterator[tuple[str, _Table]]:
        """The sub-tables of ``[name]``, each keyed by a code fit for the database."""
        group = self.table(name)
        if not group.data:
            raise self.error(name, "at least one entry")
        for code in group.data:
            if not CODE_RE.match(code):
                raise group.error(code, "a code of lower-case letters, digits and _ (at most 32)")
            yield code, group.table(code)


def _price(t: _Table, *, flat_allowed: bool = True) -> Price:
    has_seat, has_flat = "price_per_seat" in t.data, "price_flat" in t.data
    if flat_allowed and has_seat == has_flat:
        raise t.error("price_per_seat", "exactly one of price_per_seat or price_flat")
    if not has_seat and not flat_allowed:
        raise t.error("price_per_seat", "a per-seat monthly price (the key is missing)")
    if has_seat:
        return Price(t.money("price_per_seat"), PriceBasis.SEAT)
    return Price(t.money("price_flat"), PriceBasis.FLAT)


def _module_codes(t: _Table, name: str, known: Mapping[str, Module]) -> tuple[str, ...]:
    codes = t.words(name, required=True)
    for code in codes:
        if code not in known:
            raise t.error(name, f"module codes among {', '.join(known)}, got {code!r}")
    return codes


def _modules(root: _Table) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for code, t in root.items("modules"):
        t.only(("name", "aliases", "description", "price_per_seat", "price_flat"))
        modules[code] = Module(
            code, t.text("name"), t.text("description"), _price(t), t.words("aliases")
        )
    return modules


def _edition_modules(
    editions: _Table, code: str, modules: Mapping[str, Module], seen: tuple[str, ...] = ()
) -> set[str]:
    """An edition's own modules plus everything it `extends`, refusing cycles."""
    t = editions.table(code)
    own = set(_module_codes(t, "modules", modules))
    parent = t.data.get("extends")
    if parent is None:
        return own
    if not isinstance(parent, str) or parent not in editions.data:
        raise t.error(
            "extends", f"an edition code among {', '.join(editions.data)}, got {parent!r}"
        )
    if parent in (*seen, code):
        raise t.error("extends", f"no cycle, but {' → '.join((*seen, code, parent))}")
    return own | _edition_modules(editions, parent, modules, (*seen, code))


def _editions(root: _Table, modules: Mapping[str, Module]) -> dict[str, Edition]:
    editions: dict[str, Edition] = {}
    group = root.table("editions")
    for code, t in root.items("editions"):
        t.only(("name", "aliases", "description", "extends", "modules", "price_per_seat"))
        covered = _edition_modules(group, code, modules)
        ordered = tuple(m for m in modules if m in covered)
        price = _price(t, flat_allowed=False)
        editions[code] = Edition(
            code, t.text("name"), t.text("description"), price, ordered, t.words("aliases")
        )
    return editions


def _periods(root: _Table) -> dict[str, BillingPeriod]:
    periods: dict[str, BillingPeriod] = {}
    for code, t in root.items("periods"):
        t.only(("name", "aliases", "months", "days", "discount_percent", "unit", "counter"))
        if ("months" in t.data) == ("days" in t.data):
            raise t.error("months", "exactly one of months or days")
        percent = "a percentage from 0 up to (not including) 100"
        # No discount unless the catalog says so.
        discount = (
            t.decimal("discount_percent", percent) if "discount_percent" in t.data else Decimal(0)
        )
        if discount >= 100:
            raise t.bad("discount_percent", percent)
        periods[code] = BillingPeriod(
            code=code,
            name=t.text("name"),
            unit=t.text("unit"),
            counter=t.text("counter"),
            months=t.integer("months", 1, 0) if "months" in t.data else 0,
            days=t.integer("days", 1, 0) if "days" in t.data else 0,
            discount_percent=discount,
            aliases=t.words("aliases"),
        )
    return periods


def _bundles(root: _Table, modules: Mapping[str, Module]) -> dict[str, Bundle]:
    if "bundles" not in root.data:
        return {}
    bundles: dict[str, Bundle] = {}
    for code, t in root.items("bundles"):
        t.only(("name", "aliases", "description", "modules", "price_per_seat", "price_flat"))
        codes = _module_codes(t, "modules", modules)
        if len(set(codes)) < 2:
            raise t.error("modules", f"at least two different modules, got {list(codes)!r}")
        bundles[code] = Bundle(
            code, t.text("name"), t.text("description"), codes, _price(t), t.words("aliases")
        )
    return bundles


def _services(root: _Table) -> dict[str, ServiceItem]:
    if "services" not in root.data:
        return {}
    services: dict[str, ServiceItem] = {}
    for code, t in root.items("services"):
        t.only(("name", "aliases", "description", "price", "unit"))
        services[code] = ServiceItem(
            code,
            t.text("name"),
            t.text("description"),
            t.money("price"),
            t.text("unit"),
            t.words("aliases"),
        )
    return services


def _check_unique_names(root: _Table, group: str, items: Mapping[str, Any]) -> None:
    """Two items of one kind answering to the same word would make chat lookups ambiguous."""
    owner: dict[str, str] = {}
    for code, item in items.items():
        for spelling in dict.fromkeys(names_of(item)):
            other = owner.setdefault(spelling, code)
            if other != code:
                raise root.error(
                    f"{group}.{code}.aliases",
                    f"names unique among {group}; {spelling!r} is {group}.{other}",
                )


def parse_catalog(raw: Mapping[str, Any], source: str = "") -> Catalog:
    root = _Table(raw, "", source)
    root.only(TOP_LEVEL)
    modules = _modules(root)
    editions = _editions(root, modules)
    periods, bundles, services = _periods(root), _bundles(root, modules), _services(root)
    kinds: tuple[tuple[str, Mapping[str, Any]], ...] = (
        ("modules", modules),
        ("editions", editions),
        ("periods", periods),
        ("bundles", bundles),
        ("services", services),
    )
    for group, items in kinds:
        _check_unique_names(root, group, items)
    trial, grace = root.table("trial"), root.table("grace")
    trial.only(("days", "edition", "seats"))
    grace.only(("days",))
    trial_edition = trial.text("edition")
    if trial_edition not in editions:
        raise trial.bad("edition", f"an edition code among {', '.join(editions)}")
    return Catalog(
        editions=tuple(editions.values()),
        modules=tuple(modules.values()),
        periods=tuple(periods.values()),
        bundles=tuple(bundles.values()),
        services=tuple(services.values()),
        trial_days=trial.integer("days", 0),
        trial_edition=trial_edition,
        trial_seats=trial.integer("seats", 1),
        grace_days=grace.integer("days", 0),
        days_per_month=root.integer("days_per_month", 1),
    )
