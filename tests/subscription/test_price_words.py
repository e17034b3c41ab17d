"""What a price question asks for, and names typed loosely: 专业 for 专业版, 工单模块 for
工单, 部署服务 for 部署."""

from __future__ import annotations

import pytest

from bot.subscription import asks, quote_words
from bot.subscription.catalog import Catalog, load_catalog
from bot.subscription.purchases import BillingError
from bot.subscription.quote_words import EDITION, MODULE, RENEW, SEATS


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("text", "action", "item", "period"),
    [
        ("升级 售后服务版", EDITION, "售后服务版", None),
        ("升级 售后服务版一年", EDITION, "售后服务版", "按年"),
        ("升级 售后版 3个月", EDITION, "售后版", "按季度"),
        ("加席位 5", SEATS, "5", None),
        ("加席位5", SEATS, "5", None),
        ("开通 工单", MODULE, "工单", None),
        ("续费 一年", RENEW, "一年", None),
        ("续费", RENEW, "", None),
        ("售后服务版", EDITION, "售后服务版", None),
        ("工单", MODULE, "工单", None),
        ("5个席位", SEATS, "5个席位", None),
        ("半年", RENEW, "半年", None),
    ],
)
def test_a_price_question_names_its_purchase(
    catalog: Catalog, text: str, action: str, item: str, period: str | None
) -> None:
    question = quote_words.parse(catalog, text)
    assert (question.action, question.item) == (action, item)
    assert (question.period.name if question.period else None) == period


@pytest.mark.parametrize("text", ["", "天气", "火箭"])
def test_a_question_about_nothing_for_sale_says_what_to_ask(catalog: Catalog, text: str) -> None:
    with pytest.raises(BillingError) as raised:
        quote_words.parse(catalog, text)
    assert raised.value.message == quote_words.USAGE


@pytest.mark.parametrize(
    ("typed", "edition"),
    [
        ("售后服务版", "售后服务版"),
        ("售后服务", "售后服务版"),
        ("到售后版", "售后服务版"),
        ("erp", "ERP版"),
    ],
)
def test_edition_names_match_loosely(catalog: Catalog, typed: str, edition: str) -> None:
    assert asks.edition_named(catalog, typed).name == edition


def test_an_unknown_edition_is_named_without_the_words_around_it(catalog: Catalog) -> None:
    with pytest.raises(BillingError) as raised:
        asks.edition_named(catalog, "到专业版")
    assert raised.value.message.startswith("没有叫「专业版」的版本。")


@pytest.mark.parametrize(("typed", "name"), [("工单模块", "售后工单"), ("进销存功能", "进销存")])
def test_a_module_may_be_called_a_module(catalog: Catalog, typed: str, name: str) -> None:
    assert asks.item_change(catalog, typed)[1] == name


@pytest.mark.parametrize(
    ("typed", "code"),
    [("部署服务", "installation"), ("远程支持 2", "remote_support"), ("上门服务", "onsite_visit")],
)
def test_a_service_may_end_in_fu_wu_or_not(catalog: Catalog, typed: str, code: str) -> None:
    assert list(asks.service_items(catalog, typed)) == [code]
