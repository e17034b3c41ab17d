"""Changes inside a paid period: increases now and prorated, decreases at the next period and
never refunded, the highest-paid-seats rule, upgrades, modules, bundles and the cheapest offer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.subscription.catalog import Catalog, load_catalog
from bot.subscription.offers import cheapest_offer
from bot.subscription.plan import Plan, PlanChange, granted_modules, split_change
from bot.subscription.pricing import Quote, prorated_charge, quote_change, recurring_total

D = Decimal
START, END = date(2025, 3, 1), date(2025, 4, 1)
MAR20 = date(2025, 3, 20)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def change(
    catalog: Catalog, plan: Plan, what: PlanChange, on: date = MAR20, paid: int | None = None
) -> Quote:
    return quote_change(
        catalog,
        plan,
        what,
        on,
        period_start=START,
        period_end=END,
        highest_paid_seats=plan.seats if paid is None else paid,
    )


def codes(*names: str) -> frozenset[str]:
    return frozenset(names)


STANDARD_10 = Plan("standard", 10, "month")


# --- the example, end to end -----------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "left", "amount"), [(date(2025, 3, 20), 12, "191.61"), (date(2025, 3, 24), 8, "127.74")]
)
def test_ten_to_fifteen_seats(catalog: Catalog, on: date, left: int, amount: str) -> None:
    quote = change(catalog, STANDARD_10, PlanChange(seats=15), on)
    [line] = quote.lines
    assert line.description == f"加席位 5 个 × ¥99.00/月，按剩余 {left}/31 天折算"
    assert (line.quantity, line.unit_price, line.amount) == (5, D("99.00"), D(amount))
    assert quote.total == D(amount)
    assert quote.effective_on == on
    assert quote.render() == "\n".join(
        [
            f"1. 加席位 5 个 × ¥99.00/月，按剩余 {left}/31 天折算：¥{amount}",
            f"合计：¥{amount}（{on} 起生效）",
            "· 自 2025-04-01 起每月 ¥1,485.00",
        ]
    )


# --- decreases ---------------------------------------------------------------------------------


def test_a_decrease_costs_nothing_now_and_waits_for_the_next_period(catalog: Catalog) -> None:
    quote = change(catalog, Plan("standard", 15, "month"), PlanChange(seats=10))
    assert quote.lines == ()
    assert quote.total == D("0.00")
    assert quote.effective_on == END
    assert quote.notes == (
        "本次无需补费",
        "席位自 2025-04-01 起减为 10 个，本周期不退款",
        "自 2025-04-01 起每月 ¥990.00",
    )
    split = split_change(catalog, Plan("standard", 15, "month"), PlanChange(seats=10))
    assert split.now.seats == 15
    assert split.next_period.seats == 10
    assert split.deferred


def test_downgrade_removal_and_period_change_all_wait(catalog: Catalog) -> None:
    plan = Plan("erp", 15, "month", modules=codes("orders"))
    what = PlanChange(edition="标准版", remove_modules=codes("订单"), period="年付")
    quote = change(catalog, plan, what)
    assert quote.total == D("0.00")
    assert quote.notes[1:] == (
        "自 2025-04-01 起改为 标准版，本周期不退款",
        "订单管理 自 2025-04-01 起停用，本周期不退款",
        "自 2025-04-01 起改为按年付费",
        "自 2025-04-01 起每年 ¥15,147.00",
    )
    split = split_change(catalog, plan, what)
    assert split.now == plan
    assert split.next_period == Plan("standard", 15, "year")


def test_removing_what_the_plan_does_not_hold_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="does not hold"):
        change(catalog, STANDARD_10, PlanChange(remove_modules=codes("tickets")))
    with pytest.raises(ValueError, match="both added and removed"):
        change(
            catalog,
            Plan("standard", 10, "month", modules=codes("orders")),
            PlanChange(add_modules=codes("orders"), remove_modules=codes("orders")),
        )


# --- a decrease then an increase in the same period --------------------------------------------


def test_increase_after_decrease_pays_only_above_the_highest_paid(catalog: Catalog) -> None:
    # 15 seats were paid for this period, then cut to 10 (no refund); back up to 12 is free ...
    back_to_12 = change(catalog, STANDARD_10, PlanChange(seats=12), paid=15)
    assert back_to_12.total == D("0.00")
    assert "本周期已付 15 个席位，增至 12 个无需补费" in back_to_12.notes
    assert back_to_12.effective_on == MAR20
    # ... and up to 18 pays for 3 seats, not 8.
    up_to_18 = change(catalog, STANDARD_10, PlanChange(seats=18), paid=15)
    [line] = up_to_18.lines
    assert (line.quantity, line.amount) == (3, prorated_charge(D("297"), START, END, MAR20))
    assert line.amount == D("114.97")


def test_highest_paid_below_the_plan_seats_uses_the_plan(catalog: Catalog) -> None:
    quote = change(catalog, STANDARD_10, PlanChange(seats=15), paid=0)
    assert quote.total == D("191.61")
    with pytest.raises(ValueError, match="highest_paid_seats"):
        change(catalog, STANDARD_10, PlanChange(seats=15), paid=-1)


def test_upgrade_after_decrease_upgrades_only_the_seats_kept(catalog: Catalog) -> None:
    # Paid 15 standard seats, cut to 10, now upgrading: the 10 seats in use pay the difference.
    quote = change(catalog, STANDARD_10, PlanChange(edition="售后服务版"), paid=15)
    [line] = quote.lines
    assert (line.quantity, line.unit_price) == (10, D("30.00"))


# --- upgrades, modules and bundles -------------------------------------------------------------


def test_edition_upgrade_charges_the_price_difference(catalog: Catalog) -> None:
    quote = change(catalog, STANDARD_10, PlanChange(edition="售后服务版"))
    [line] = quote.lines
    assert (
        line.description == "升级 标准版 → 售后服务版：10 席 × 差价 ¥30.00/月，按剩余 12/31 天折算"
    )
    assert (line.code, line.amount) == ("edition:aftersales", D("116.13"))
    assert quote.effective_on == MAR20
    assert split_change(catalog, STANDARD_10, PlanChange(edition="aftersales")).now.edition == (
        "aftersales"
    )


def test_upgrade_and_more_seats_are_two_lines_rounded_one_by_one(catalog: Catalog) -> None:
    quote = change(catalog, STANDARD_10, PlanChange(edition="ERP版", seats=12))
    assert [(x.code, x.quantity, x.unit_price, x.amount) for x in quote.lines] == [
        ("edition:erp", 10, D("80.00"), D("309.68")),  # 800 × 12/31 = 309.677…
        ("seats", 2, D("179.00"), D("138.58")),  # 358 × 12/31 = 138.580…
    ]
    assert quote.total == D("448.26")


def test_adding_a_module_per_seat_and_flat(catalog: Catalog) -> None:
    quote = change(catalog, STANDARD_10, PlanChange(add_modules=codes("工单", "知识库")))
    assert [x.description for x in quote.lines] == [
        "开通 售后工单：10 席 × ¥40.00/月，按剩余 12/31 天折算",
        "开通 知识库：¥199.00/月，按剩余 12/31 天折算",
    ]
    assert [x.amount for x in quote.lines] == [D("154.84"), D("77.03")]
    assert quote.notes == ("自 2025-04-01 起每月 ¥1,589.00",)


def test_totals_are_sums_of_rounded_lines_not_a_rounded_sum(catalog: Catalog) -> None:
    on = date(2025, 3, 2)
    quote = change(catalog, STANDARD_10, PlanChange(seats=20, add_modules=codes("knowledge")), on)
    assert [x.amount for x in quote.lines] == [D("192.58"), D("958.06")]  # 192.580…, 958.064…
    assert quote.total == D("1150.64")
    # Prorating the whole increase at once would have rounded 1150.645… up to 1150.65.
    assert prorated_charge(D("1189"), START, END, on) == D("1150.65")


def test_a_module_already_included_costs_nothing(catalog: Catalog) -> None:
    quote = change(catalog, Plan("aftersales", 10, "month"), PlanChange(add_modules=codes("工单")))
    assert quote.total == D("0.00")
    assert "售后工单 已包含在当前套餐中，无需另购" in quote.notes
    split = split_change(
        catalog, Plan("aftersales", 10, "month"), PlanChange(add_modules=codes("工单"))
    )
    assert split.now.modules == frozenset()


def test_upgrade_credits_extras_the_new_edition_covers(catalog: Catalog) -> None:
    plan = Plan("standard", 15, "month", modules=codes("tickets"))
    quote = change(catalog, plan, PlanChange(edition="ERP版"))
    [line] = quote.lines
    # ERP版 costs ¥80 more per seat than 标准版, but the ¥40 工单 already bought is in it.
    assert line.description == (
        "升级 标准版 → ERP版：15 席 × 差价 ¥40.00/月（已抵扣已购的 售后工单），按剩余 12/31 天折算"
    )
    assert "售后工单 已含在新套餐中，自 2025-04-01 起不再单独计费" in quote.notes
    assert quote.notes[-1] == "自 2025-04-01 起每月 ¥2,685.00"


def test_an_edition_that_only_repackages_extras_waits(catalog: Catalog) -> None:
    # 标准版 + 工单 is ¥139 a seat; 售后服务版 is ¥129 and adds nothing new: a decrease.
    plan = Plan("standard", 15, "month", modules=codes("tickets"))
    quote = change(catalog, plan, PlanChange(edition="售后服务版"))
    assert quote.total == D("0.00")
    assert quote.effective_on == END
    assert quote.notes[-1] == "自 2025-04-01 起每月 ¥1,935.00"


def test_a_bundle_is_credited_with_the_extras_it_replaces(catalog: Catalog) -> None:
    plan = Plan("standard", 15, "month", modules=codes("orders"))
    quote = change(catalog, plan, PlanChange(add_bundles=codes("增长套餐")))
    [line] = quote.lines
    # ¥599 flat, less the ¥30 × 15 订单管理 already bought: ¥149 a month for the 知识库 gained.
    assert (line.code, line.quantity, line.unit_price) == ("bundle:growth_pack", 1, D("149.00"))
    assert line.amount == D("57.68")


def test_credit_a_bundle_cannot_use_lowers_the_other_lines(catalog: Catalog) -> None:
    # With 20 seats, 订单管理 (20 × ¥30 = ¥600) costs more than the flat 增长套餐 (¥599) that
    # covers it: the ¥1 left over lowers the 服务增值包 line, so the change costs exactly what it
    # adds to the monthly price (¥779), prorated.
    plan = Plan("standard", 20, "month", modules=codes("tickets", "orders"))
    what = PlanChange(add_bundles=codes("service_pack", "growth_pack"))
    [line] = change(catalog, plan, what).lines
    assert line.description == (
        "开通 服务增值包：20 席 × ¥39.00/月（已抵扣已购的 售后工单），再抵扣 ¥1.00/月，"
        "按剩余 12/31 天折算"
    )
    assert (line.quantity, line.unit_price) == (1, D("779.00"))
    monthly = recurring_total(catalog, split_change(catalog, plan, what).now)
    assert monthly - recurring_total(catalog, plan) == D("779.00")


def test_a_bundle_that_only_saves_money_waits(catalog: Catalog) -> None:
    plan = Plan("standard", 15, "month", modules=codes("orders", "knowledge"))
    quote = change(catalog, plan, PlanChange(add_bundles=codes("growth_pack")))
    assert quote.total == D("0.00")
    assert quote.effective_on == END
    assert split_change(catalog, plan, PlanChange(add_bundles=codes("growth_pack"))).now == plan


def test_a_yearly_plan_prorates_over_the_year(catalog: Catalog) -> None:
    plan = Plan("standard", 10, "year")
    quote = quote_change(
        catalog,
        plan,
        PlanChange(seats=11),
        date(2025, 9, 1),
        period_start=date(2025, 3, 1),
        period_end=date(2026, 3, 1),
        highest_paid_seats=10,
    )
    [line] = quote.lines
    assert line.description == "加席位 1 个 × ¥1,009.80/年，按剩余 181/365 天折算"
    assert line.amount == D("500.75")  # 1009.80 × 181/365 = 500.752…


def test_a_change_on_the_last_day_costs_nothing(catalog: Catalog) -> None:
    assert change(catalog, STANDARD_10, PlanChange(seats=15), END).total == D("0.00")
    with pytest.raises(ValueError, match="outside the period"):
        change(catalog, STANDARD_10, PlanChange(seats=15), date(2025, 4, 2))


# --- entitlements and the cheapest way to a module ---------------------------------------------


def test_granted_modules(catalog: Catalog) -> None:
    plan = Plan("callcenter", 3, "month", modules=codes("orders"), bundles=codes("service_pack"))
    assert granted_modules(catalog, plan) == codes(
        "crm", "callcenter", "orders", "tickets", "installation", "knowledge"
    )


def test_cheapest_way_to_tickets_is_the_edition(catalog: Catalog) -> None:
    offer = cheapest_offer(catalog, Plan("standard", 15, "month"), "工单")
    assert offer is not None
    assert offer.via.code == "aftersales"
    assert offer.change == PlanChange(edition="aftersales")
    assert offer.per_period == D("450.00")  # 15 × ¥30, against 15 × ¥40 for the module alone


def test_cheapest_way_depends_on_team_size(catalog: Catalog) -> None:
    small = cheapest_offer(catalog, Plan("standard", 5, "month", modules=codes("orders")), "知识库")
    large = cheapest_offer(
        catalog, Plan("standard", 40, "month", modules=codes("orders")), "知识库"
    )
    assert small is not None and large is not None
    assert (small.via.code, small.per_period) == ("knowledge", D("199.00"))
    # With 40 seats the flat 增长套餐 (¥599) replaces 订单管理 at ¥1,200 and adds 知识库.
    assert (large.via.code, large.per_period) == ("growth_pack", D("-601.00"))


def test_an_edition_offer_keeps_modules_the_old_edition_gave() -> None:
    cheaper_erp = load_catalog(overrides={"editions": {"erp": {"price_per_seat": "140.00"}}})
    offer = cheapest_offer(cheaper_erp, Plan("callcenter", 1, "month"), "进销存")
    assert offer is not None
    # ERP版 lacks 呼叫中心, so the offer keeps it as an extra: ¥140 + ¥50 − ¥139 = ¥51 < ¥60.
    assert offer.change == PlanChange(edition="erp", add_modules=codes("callcenter"))
    assert offer.per_period == D("51.00")
    alone = cheapest_offer(load_catalog(), Plan("callcenter", 1, "month"), "进销存")
    assert alone is not None
    assert (alone.change, alone.per_period) == (PlanChange(add_modules=codes("erp")), D("60.00"))


def test_no_offer_for_a_module_already_held(catalog: Catalog) -> None:
    assert cheapest_offer(catalog, Plan("erp", 3, "month"), "工单") is None
