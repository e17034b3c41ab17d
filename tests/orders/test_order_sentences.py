"""What a salesperson writes after 下单 and the customer: lines, discount and plan read the
way they are typed, and anything unread refused rather than dropped."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dispatch.errors import UserFacingError
from bot.orders.asking import LineAsked, PlanAsked, read_order
from bot.orders.moves import ShipAsked
from bot.orders.pricing import Discount
from bot.orders.shipping_words import read_shipment

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_sentence_of_the_issue() -> None:
    asked = read_order("A4纸 20箱 单价25，打9折，分两期付款，首付一半下周五前", MONDAY)
    assert asked.lines == (LineAsked("A4纸", 20, "箱", 2500),)
    assert asked.discount == Discount(percent=90)
    assert asked.plan == PlanAsked(2, first_percent=50, first_due=date(2026, 12, 4))


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("A4纸20箱单价25", (LineAsked("A4纸", 20, "箱", 2500),)),
        ("A4纸 二十箱 每箱25元", (LineAsked("A4纸", 20, "箱", 2500),)),
        ("A4纸 20箱 @25", (LineAsked("A4纸", 20, "箱", 2500),)),
        ("A4纸 20", (LineAsked("A4纸", 20, "", None),)),
        (
            "打印机 2台 单价1999 和 硒鼓 4个 单价299.5",
            (LineAsked("打印机", 2, "台", 199900), LineAsked("硒鼓", 4, "个", 29950)),
        ),
        ("大米 3公斤 单价12", (LineAsked("大米", 3, "公斤", 1200),)),
    ],
)
def test_lines(text: str, lines: tuple[LineAsked, ...]) -> None:
    assert read_order(text, MONDAY).lines == lines


@pytest.mark.parametrize(
    ("text", "discount"),
    [
        ("A4纸 2箱 打9折", Discount(percent=90)),
        ("A4纸 2箱 8.5折", Discount(percent=85)),
        ("A4纸 2箱 打八五折", Discount(percent=85)),
        ("A4纸 2箱 优惠200元", Discount(fen=20000)),
        ("A4纸 2箱 抹零5块", Discount(fen=500)),
        ("A4纸 2箱", Discount()),
    ],
)
def test_discounts(text: str, discount: Discount) -> None:
    assert read_order(text, MONDAY).discount == discount


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("A4纸 2箱 分3期 首付30% 下周一前", PlanAsked(3, 30, None, date(2026, 11, 30))),
        ("A4纸 2箱 首付3成", PlanAsked(2, 30, None, None)),
        ("A4纸 2箱 首付5000 下周五前 分两期", PlanAsked(2, None, 500000, date(2026, 12, 4))),
        ("A4纸 2箱 12月31日前付清", PlanAsked(1, None, None, date(2026, 12, 31))),
        ("A4纸 2箱", PlanAsked()),
    ],
)
def test_plans(text: str, plan: PlanAsked) -> None:
    assert read_order(text, MONDAY).plan == plan


def test_a_note_takes_the_rest() -> None:
    assert read_order("A4纸 2箱 备注 周五前送到前台", MONDAY).note == "周五前送到前台"


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("A4纸 2箱 快点送", "没看懂「快点送」。"),
        ("A4纸 2箱 打0折", "折扣请写 1 到 9.9 折之间"),
        ("A4纸 2箱 分30期", "分期请写 1 到 24 期"),
        ("A4纸 2箱 首付一半 下辈子前", "没看懂付款日期「下辈子」"),
        ("A4纸 0箱", "「A4纸」的数量请写正整数"),
    ],
)
def test_what_cannot_be_read_is_said(text: str, reply: str) -> None:
    with pytest.raises(UserFacingError) as refused:
        read_order(text, MONDAY)
    assert refused.value.message.startswith(reply)


def test_shipments() -> None:
    assert read_shipment("A4纸 10箱 顺丰 SF123456") == ShipAsked(
        (("A4纸", 10),), "顺丰", "SF123456"
    )
    assert read_shipment("顺丰快递 SF123456") == ShipAsked((), "顺丰快递", "SF123456")
    assert read_shipment("") == ShipAsked((), "", "")
    assert read_shipment("A4纸10箱 硒鼓 2个 自提") == ShipAsked(
        (("A4纸", 10), ("硒鼓", 2)), "自提", ""
    )
    with pytest.raises(UserFacingError, match="没看懂「明天」"):
        read_shipment("明天")


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("A4纸 10箱 从门店 顺丰 SF123456", ShipAsked((("A4纸", 10),), "顺丰", "SF123456", "门店")),
        ("A4纸 10箱 门店发", ShipAsked((("A4纸", 10),), "", "", "门店")),
        # Right after the carrier a short number is its tracking number.
        ("A4纸 10箱 从门店 顺丰 SF123", ShipAsked((("A4纸", 10),), "顺丰", "SF123", "门店")),
        ("顺丰SF123 A4纸 2箱", ShipAsked((("A4纸", 2),), "顺丰", "SF123")),
        ("A4纸10箱从门店", ShipAsked((("A4纸", 10),), "", "", "门店")),
        ("从门店仓 10箱A4纸", ShipAsked((("A4纸", 10),), "", "", "门店仓")),
        ("门店仓发货 A4纸 十箱 硒鼓 2个", ShipAsked((("A4纸", 10), ("硒鼓", 2)), "", "", "门店仓")),
        ("从总仓", ShipAsked((), "", "", "总仓")),
        # A word before a count is a product, even one that reads like a place to ship from.
        ("头发 3个", ShipAsked((("头发", 3),), "", "")),
        ("从容笔 3支", ShipAsked((("从容笔", 3),), "", "")),
        ("一本书 3个", ShipAsked((("一本书", 3),), "", "")),
    ],
)
def test_shipments_from_a_warehouse(text: str, asked: ShipAsked) -> None:
    assert read_shipment(text) == asked


def test_one_shipment_leaves_one_warehouse() -> None:
    with pytest.raises(UserFacingError, match="一次发货只能从一个仓库发"):
        read_shipment("从门店 A4纸 3箱 总仓发")
