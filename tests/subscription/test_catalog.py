"""The catalog: the packaged TOML loads, lookups work by code and by Chinese name, overrides
merge, and a broken catalog is refused with the key at fault."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bot.subscription.catalog import (
    Catalog,
    CatalogError,
    PriceBasis,
    UnknownItemError,
    load_catalog,
)
from bot.subscription.catalog_schema import parse_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def packaged_raw() -> dict[str, Any]:
    text = resources.files("bot.subscription").joinpath("catalog.toml").read_text("utf-8")
    return tomllib.loads(text)


# --- the packaged catalog ----------------------------------------------------------------------


def test_packaged_catalog_has_the_issue_editions(catalog: Catalog) -> None:
    names = {e.code: (e.name, e.modules) for e in catalog.editions}
    assert names == {
        "standard": ("标准版", ("crm",)),
        "aftersales": ("售后服务版", ("crm", "tickets")),
        "erp": ("ERP版", ("crm", "tickets", "erp")),
        "callcenter": ("呼叫中心版", ("crm", "callcenter")),
    }
    assert all(e.price.basis is PriceBasis.SEAT for e in catalog.editions)
    assert catalog.edition("standard").price.monthly == Decimal("99.00")


def test_packaged_catalog_has_every_module_with_name_description_and_price(
    catalog: Catalog,
) -> None:
    codes = [m.code for m in catalog.modules]
    assert codes == ["crm", "tickets", "erp", "callcenter", "orders", "knowledge", "installation"]
    for module in catalog.modules:
        assert module.name and module.description
        assert module.price.monthly > 0
    assert catalog.module("knowledge").price.basis is PriceBasis.FLAT
    assert catalog.module("tickets").price.basis is PriceBasis.SEAT


def test_packaged_periods_lengths_and_discounts(catalog: Catalog) -> None:
    table = {p.code: (p.months, p.days, int(p.discount_percent)) for p in catalog.periods}
    assert table == {
        "day": (0, 1, 0),
        "month": (1, 0, 0),
        "quarter": (3, 0, 5),
        "half_year": (6, 0, 10),
        "year": (12, 0, 15),
    }
    assert catalog.days_per_month == 30


def test_packaged_lifecycle_bundles_and_services(catalog: Catalog) -> None:
    assert (catalog.trial_days, catalog.trial_edition, catalog.trial_seats) == (15, "standard", 10)
    assert catalog.grace_days == 7
    assert all(len(b.modules) >= 2 for b in catalog.bundles)
    services = {s.code: s.price for s in catalog.services}
    assert services == {
        "remote_support": Decimal("300.00"),
        "onsite_visit": Decimal("800.00"),
        "installation": Decimal("2000.00"),
        "version_upgrade": Decimal("1500.00"),
    }


def test_every_price_has_two_places(catalog: Catalog) -> None:
    prices = [e.price.monthly for e in catalog.editions]
    prices += [m.price.monthly for m in catalog.modules]
    prices += [b.price.monthly for b in catalog.bundles]
    prices += [s.price for s in catalog.services]
    assert all(p.as_tuple().exponent == -2 for p in prices)


# --- lookups -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tickets", "工单", "售后工单", "TICKETS", " 工单 "])
def test_module_found_by_code_name_or_alias(catalog: Catalog, name: str) -> None:
    assert catalog.module(name).code == "tickets"


@pytest.mark.parametrize(
    ("kind", "name", "code"),
    [
        ("edition", "售后服务版", "aftersales"),
        ("edition", "ERP 版", "erp"),
        ("edition", "erp版", "erp"),
        ("period", "年付", "year"),
        ("period", "half-year", "half_year"),
        ("period", "半年", "half_year"),
        ("bundle", "服务包", "service_pack"),
        ("service", "上门", "onsite_visit"),
    ],
)
def test_other_kinds_found_by_name(catalog: Catalog, kind: str, name: str, code: str) -> None:
    found = getattr(catalog, kind)(name)
    assert found.code == code


def test_unknown_name_lists_the_choices(catalog: Catalog) -> None:
    with pytest.raises(UnknownItemError) as caught:
        catalog.module("飞书")
    assert caught.value.kind == "module"
    assert "售后工单" in caught.value.choices
    assert isinstance(caught.value, LookupError)


def test_which_editions_and_bundles_provide_a_module(catalog: Catalog) -> None:
    assert [e.code for e in catalog.editions_with("工单")] == ["aftersales", "erp"]
    assert [e.code for e in catalog.editions_with("crm")] == [
        "standard",
        "aftersales",
        "callcenter",
        "erp",
    ]
    assert [b.code for b in catalog.bundles_with("知识库")] == ["service_pack", "growth_pack"]
    assert catalog.edition("ERP版").includes("tickets")
    assert not catalog.edition("标准版").includes("tickets")


# --- overrides and other files -----------------------------------------------------------------


def test_override_changes_one_price_and_keeps_the_rest(catalog: Catalog) -> None:
    changed = load_catalog(overrides={"editions": {"standard": {"price_per_seat": "89.00"}}})
    assert changed.edition("standard").price.monthly == Decimal("89.00")
    assert changed.edition("standard").name == "标准版"
    assert changed.edition("erp") == catalog.edition("erp")
    assert changed.modules == catalog.modules


def test_override_adds_items_and_changes_lifecycle() -> None:
    changed = load_catalog(
        overrides={
            "modules": {
                "marketing": {
                    "name": "营销自动化",
                    "description": "群发与客户标签营销",
                    "price_flat": 299,
                }
            },
            "trial": {"days": 30},
            "periods": {"year": {"discount_percent": "20"}},
        }
    )
    assert changed.module("营销自动化").price.monthly == Decimal("299.00")
    assert changed.trial_days == 30
    assert changed.trial_edition == "standard"
    assert changed.period("year").discount_percent == Decimal("20")


def test_load_from_a_file(tmp_path: Path) -> None:
    raw = packaged_raw()
    text = (
        resources.files("bot.subscription")
        .joinpath("catalog.toml")
        .read_text("utf-8")
        .replace('price_per_seat = "99.00"', 'price_per_seat = "109.00"')
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_catalog(path, overrides={"grace": {"days": 3}})
    assert loaded.edition("standard").price.monthly == Decimal("109.00")
    assert loaded.grace_days == 3
    assert len(loaded.editions) == len(raw["editions"])


# --- broken catalogs ---------------------------------------------------------------------------


def nested(dotted: str, value: object) -> dict[str, Any]:
    """{"a": {"b": value}} from "a.b": an override that sets one key."""
    head, _, rest = dotted.partition(".")
    return {head: nested(rest, value) if rest else value}


SAME = ""  # the error names the key the override set
BROKEN = [
    # (key set by the override, its value, key named in the error, words the error must contain)
    ("editions.standard.price_per_seat", 99.5, SAME, "quoted string"),
    ("editions.standard.price_per_seat", "99.999", SAME, "at most 2 decimals"),
    ("modules.crm.price_per_seat", "-1", SAME, "a price in yuan"),
    ("modules.crm.price_per_set", "1", SAME, "one of the known keys"),
    ("modules.crm.price_flat", "1", "modules.crm.price_per_seat", "exactly one"),
    ("modules.crm.name", "", SAME, "non-empty string"),
    ("modules.Bad-Code.name", "x", "modules.Bad-Code", "lower-case"),
    ("editions.standard.modules", ["crm", "wechat"], SAME, "got 'wechat'"),
    ("editions.standard.extends", "standard", SAME, "no cycle"),
    ("editions.standard.extends", "erp", "editions.aftersales.extends", "standard → erp → after"),
    ("editions.erp.extends", "gold", SAME, "an edition code"),
    ("editions.standard.price_flat", "99", SAME, "one of the known keys"),
    ("periods.month.days", 30, "periods.month.months", "exactly one of months or days"),
    ("periods.year.discount_percent", 100, SAME, "percentage"),
    ("periods.year.months", 0, SAME, "integer ≥ 1"),
    ("periods.year.months", True, SAME, "integer ≥ 1"),
    ("modules.orders.aliases", ["工单"], SAME, "'工单' is modules.tickets"),
    ("bundles.growth_pack.modules", ["orders"], SAME, "two different"),
    ("services.onsite_visit.unit", 1, SAME, "non-empty string"),
    ("services.onsite_visit.price", "1e12", SAME, "a price in yuan"),
    ("trial.edition", "gold", SAME, "an edition code"),
    ("trial.seats", 0, SAME, "integer ≥ 1"),
    ("grace", "seven", SAME, "a table"),
    ("days_per_month", "30", SAME, "integer"),
    ("currency", "USD", SAME, "one of the known keys"),
]


@pytest.mark.parametrize(("key", "value", "path", "words"), BROKEN)
def test_a_broken_catalog_names_the_key(key: str, value: object, path: str, words: str) -> None:
    path = path or key
    with pytest.raises(CatalogError) as caught:
        load_catalog(overrides=nested(key, value))
    assert caught.value.path == path
    assert f"catalog key {path}: expected" in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        ("", "periods", "a table (the table is missing)"),
        ("services.remote_support", "price", "a price in yuan"),
        ("modules.orders", "description", "a non-empty string (the key is missing)"),
        ("editions.erp", "modules", "a list of non-empty strings (the key is missing)"),
        ("trial", "days", "an integer ≥ 0 (the key is missing)"),
    ],
)
def test_a_missing_key_is_named(table: str, key: str, expected: str) -> None:
    raw = packaged_raw()
    parent = raw
    for part in filter(None, table.split(".")):
        parent = parent[part]
    del parent[key]
    path = f"{table}.{key}" if table else key
    with pytest.raises(CatalogError, match=rf"catalog key {path}: expected {re.escape(expected)}"):
        parse_catalog(raw)


def test_discount_defaults_to_none() -> None:
    raw = packaged_raw()
    del raw["periods"]["year"]["discount_percent"]
    assert parse_catalog(raw).period("year").discount_percent == 0


def test_a_missing_or_invalid_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="an existing catalog file"):
        load_catalog(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[modules\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"bad\.toml: catalog key \(top level\): expected valid"):
        load_catalog(bad)


def test_catalog_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)
