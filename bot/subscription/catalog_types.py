"""The catalog's value types and lookups; ``catalog`` loads them, ``catalog_schema`` builds them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar


class CatalogError(ValueError):
    """The catalog (file or override) is invalid; ``path`` is the dotted key at fault."""

    def __init__(self, path: str, expected: str, source: str = "") -> None:
        where = f"{source}: " if source else ""
        super().__init__(f"{where}catalog key {path or '(top level)'}: expected {expected}")
        self.path = path
        self.expected = expected
        self.source = source


class UnknownItemError(LookupError):
    """Nothing in the catalog answers to ``name``; ``choices`` are the names that do exist."""

    def __init__(self, kind: str, name: str, choices: tuple[str, ...]) -> None:
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(choices)}")
        self.kind = kind
        self.name = name
        self.choices = choices


class PriceBasis(StrEnum):
    SEAT = "seat"  # per seat per month
    FLAT = "flat"  # per enterprise per month


@dataclass(frozen=True, slots=True)
class Price:
    """A monthly list price; the billing period turns it into a price per period."""

    monthly: Decimal
    basis: PriceBasis

    @property
    def per_seat(self) -> bool:
        return self.basis is PriceBasis.SEAT


@dataclass(frozen=True, slots=True)
class Module:
    code: str
    name: str
    description: str
    price: Price
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edition:
    code: str
    name: str
    description: str
    price: Price  # always per seat
    modules: tuple[str, ...]  # module codes, inherited ones included, in catalog order
    aliases: tuple[str, ...] = ()

    def includes(self, module: str) -> bool:
        return module in self.modules


@dataclass(frozen=True, slots=True)
class BillingPeriod:
    code: str
    name: str
    unit: str  # what a price is "per": ¥99.00/月
    counter: str  # how several periods are counted: 3 个季度
    months: int  # 0 for a days-based period
    days: int  # 0 for a months-based period
    discount_percent: Decimal
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bundle:
    code: str
    name: str
    description: str
    modules: tuple[str, ...]
    price: Price
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceItem:
    code: str
    name: str
    description: str
    price: Decimal  # per unit, one-off
    unit: str
    aliases: tuple[str, ...] = ()


class Named(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound=Named)


def normalize_name(text: str) -> str:
    """What two spellings of one name share: case and whitespace don't matter ("ERP 版")."""
    return "".join(text.split()).casefold()


def names_of(item: Named) -> tuple[str, ...]:
    """Every spelling that finds ``item``, normalized: code, name, aliases."""
    return tuple(normalize_name(n) for n in (item.code, item.name, *item.aliases))


def _find(kind: str, items: tuple[N, ...], name: str) -> N:
    # Stored plans name items by code: found without normalizing every spelling of every item,
    # which the operators' lists would otherwise do thousands of times.
    for item in items:
        if item.code == name:
            return item
    wanted = normalize_name(name)
    for item in items:
        if wanted in names_of(item):
            return item
    raise UnknownItemError(kind, name, tuple(item.name for item in items))


def mentioned(items: tuple[N, ...], text: str) -> N | None:
    """The item whose name or alias is said inside ``text`` ("换成ERP版要补" says ERP版), the
    longest spelling found winning; None when no spelling of two letters or more is."""
    said = normalize_name(text)
    found: N | None = None
    longest = 1
    for item in items:
        for spelling in names_of(item):
            if len(spelling) > longest and spelling in said:
                found, longest = item, len(spelling)
    return found


@dataclass(frozen=True, slots=True)
class Catalog:
    editions: tuple[Edition, ...]
    modules: tuple[Module, ...]
    periods: tuple[BillingPeriod, ...]
    bundles: tuple[Bundle, ...]
    services: tuple[ServiceItem, ...]
    trial_days: int
    trial_edition: str
    trial_seats: int
    grace_days: int
    days_per_month: int  # a day costs the monthly price divided by this

    def edition(self, name: str) -> Edition:
        return _find("edition", self.editions, name)

    def module(self, name: str) -> Module:
        return _find("module", self.modules, name)

    def period(self, name: str) -> BillingPeriod:
        return _find("billing period", self.periods, name)

    def bundle(self, name: str) -> Bundle:
        return _find("bundle", self.bundles, name)

    def service(self, name: str) -> ServiceItem:
        return _find("service item", self.services, name)

    def editions_with(self, module: str) -> tuple[Edition, ...]:
        """Editions that include ``module``, cheapest first."""
        code = self.module(module).code
        found = (e for e in self.editions if e.includes(code))
        return tuple(sorted(found, key=lambda e: e.price.monthly))

    def bundles_with(self, module: str) -> tuple[Bundle, ...]:
        """Bundles that include ``module``, in catalog order."""
        code = self.module(module).code
        return tuple(b for b in self.bundles if code in b.modules)
