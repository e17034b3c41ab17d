"""Value-based offers, through the simulator: the provider's operator wangfang (tenant vendor)
offers 星辰科技 (admin zhaoliu, in Los Angeles) and 艾克米科技 (admin zhangsan, in Shanghai) a
discounted change; the admins get a card once, accept it as an order at the discounted price,
or let it expire on the last day of their own calendar. Monday 2026-11-30 12:00 in Los Angeles
is already Tuesday 2026-12-01 04:00 in Shanghai."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from support.announcements import AFTERSALES, PROVIDER, STANDARD, cards_to
from support.billing import subscribe
from support.crm import Chat

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import parse_settings
from bot.embedded import Embedded, run_embedded
from bot.provider.offer_words import Discount
from bot.provider.offers import discounted, expire_due, propose
from bot.subscription.purchases import Purchase
from bot.subscription.quote import LineItem, Quote
from bot.wecom_sim.control_directory import DirectorySimControl
from models.outbox import OutboxMessage
from models.provider import OfferStatus, ProviderOffer
from models.subscriptions import Order, OrderKind, OrderLine, OrderStatus
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


class Offers:
    def __init__(self, embedded: Embedded, sim: DirectorySimControl) -> None:
        self.embedded = embedded
        self.vendor = Chat(embedded, sim, "vendor")
        self.acme = Chat(embedded, sim, "acme")
        self.star = Chat(embedded, sim, "other")

    async def deliver(self) -> list[dict[str, Any]]:
        """What the scheduler's outbox sweep sends: the cards for the client's admins."""
        since = await self.star.sim.sent_count()
        sender = self.embedded.runtime.sender
        assert sender is not None
        await sender.sweep()
        return await self.star.settle(since)


@asynccontextmanager
async def offers_chat(database: str, clock: FrozenClock) -> AsyncIterator[Offers]:
    tenants = [dict(t) for t in TEST_CONFIG["tenants"]]
    tenants[1] = {
        **tenants[1],
        "name": "星辰科技",
        "admins": ["zhaoliu"],
        "timezone": "America/Los_Angeles",
    }
    raw: dict[str, Any] = {
        "tenants": [*tenants, PROVIDER],
        "database": {"url": database},
        "subscription": {"operators": ["vendor:wangfang"]},
    }
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    running = run_embedded(parse_settings(raw), options, simulator_clock=clock)
    async with running as embedded, aiohttp.ClientSession() as session:
        billing = embedded.runtime.billing
        assert billing is not None
        # 星辰科技's month ends tonight (its last day is 11-30); acme's began today in Shanghai.
        terms = (
            ("acme", AFTERSALES, date(2026, 12, 1), date(2027, 1, 1)),
            ("other", STANDARD, date(2026, 11, 1), date(2026, 12, 1)),
        )
        for key, plan, start, end in terms:
            info = await embedded.runtime.tenants.get(key)
            assert info is not None
            await subscribe(billing, info.id, start, end, plan)
        yield Offers(embedded, DirectorySimControl(session, embedded.simulator_url))
        await embedded.runtime.tasks.drain()


@pytest.fixture
async def chat(database: str, clock: FrozenClock) -> AsyncIterator[Offers]:
    async with offers_chat(database, clock) as opened:
        yield opened


CANONICAL = "给星辰科技优惠 升级售后服务版 8折 有效期至月底"
PROPOSED = (
    "已发出优惠 #1：星辰科技 · 升级 售后服务版\n"
    "原价 ¥10.00，8折 −¥2.00，优惠后 ¥8.00\n"
    "有效期至 2026-11-30（星辰科技当地日期），已发给 1 位管理员。"
    "发送「撤回优惠 1」可撤回，「优惠列表」查看结果。"
)
CARD = {
    "card_type": "button_interaction",
    "source": {"desc": "服务商优惠"},
    "main_title": {"title": "优惠：升级 售后服务版", "desc": "优惠 #1"},
    "sub_title_text": "接受后按当天的剩余天数折算、生成订单，付款后生效；折扣不变。",
    "horizontal_content_list": [
        {"keyname": "原价", "value": "¥10.00"},
        {"keyname": "运营优惠", "value": "8折 −¥2.00"},
        {"keyname": "优惠后", "value": "¥8.00"},
        {"keyname": "有效期至", "value": "2026-11-30"},
    ],
    "task_id": "offer-1-zhaoliu",
    "button_list": [
        {"text": "接受优惠", "style": 1, "key": "offer:accept:1"},
        {"text": "暂不需要", "style": 2, "key": "offer:decline:1"},
    ],
}


async def press(chat: Chat, user: str, key: str) -> list[str]:
    await chat.event(
        {
            "Event": "template_card_event",
            "FromUserName": user,
            "EventKey": key,
            "TaskId": "offer-1-zhaoliu",
            "CardType": "button_interaction",
            "ResponseCode": "code-1",
        }
    )
    return chat.sent_to(user)


async def test_the_admins_get_the_offer_once_and_accepting_places_the_order(
    chat: Offers,
) -> None:
    assert await chat.vendor.say("wangfang", CANONICAL) == [PROPOSED]
    # 星辰科技 keeps Los Angeles time: its month ends on 11-30, though Shanghai is in December.
    offer = await ProviderOffer.get(id=1)
    assert (offer.operator, offer.summary, offer.rate, offer.off_fen) == (
        "vendor:wangfang",
        "升级 售后服务版",
        80,
        None,
    )
    assert (offer.list_fen, offer.offered_fen, offer.valid_until) == (1000, 800, date(2026, 11, 30))
    assert offer.status is OfferStatus.PROPOSED

    # The operator says it again (or the command is retried): nothing new is offered or sent.
    repeated = (
        "星辰科技已有一条同样的优惠 #1（8折，有效期至 2026-11-30）待答复，没有重复发送。"
        "要改条件，请先「撤回优惠 1」。"
    )
    assert await chat.vendor.say("wangfang", "给星辰科技打个八折升级到售后服务版，月底前有效") == [
        repeated
    ]
    sent = await chat.deliver()
    assert cards_to(sent, "zhaoliu") == [CARD]
    assert len(sent) == 1
    assert await chat.deliver() == []  # a second sweep, or another replica's, sends nothing
    assert await ProviderOffer.all().count() == 1

    [reply] = await press(chat.star, "zhaoliu", "offer:accept:1")
    assert reply.split("\n") == [
        "【报价】升级 售后服务版（运营优惠）",
        "1. 升级 标准版 → 售后服务版：10 席 × 差价 ¥30.00/月，按剩余 1/30 天折算：¥10.00",
        "2. 运营优惠 8折：-¥2.00",
        "合计：¥8.00（2026-11-30 起生效）",
        "· 自 2026-12-01 起每月 ¥1,790.00",
        "已下单：订单 1（升级 售后服务版（运营优惠），¥8.00），待付款。",
        "付款后由服务商确认收款，立即生效；发送「账单」可随时查看。",
    ]
    order = await Order.get(id=1)
    assert (order.status, order.total) == (OrderStatus.PENDING_PAYMENT, Decimal("8.00"))
    lines = await OrderLine.filter(order_id=1).order_by("position").values_list("code", "amount")
    assert lines == [
        ("edition:aftersales", Decimal("10.00")),
        ("discount:offer:1", Decimal("-2.00")),
    ]
    offer = await ProviderOffer.get(id=1)
    assert (offer.status, offer.order_id, offer.answered_by) == (
        OfferStatus.ACCEPTED,
        1,
        "zhaoliu",
    )
    # The operators hear of the new order as of any other.
    told = await OutboxMessage.filter(idempotency_key__startswith="notice:order:1:placed")
    assert [row.recipient for row in told] == ["wangfang"]

    assert await chat.star.say("zhaoliu", "接受优惠 1") == [
        "优惠 #1 已经接受过了（订单 1），发送「账单」查看。"
    ]
    assert await chat.vendor.say("wangfang", "星辰科技的优惠") == [
        "优惠列表（最近 1 条）：\n#1 星辰科技 · 升级 售后服务版 · 8折 ¥10.00 → ¥8.00 · "
        "有效期至 2026-11-30 · 已接受（订单 1）"
    ]
    # The operator confirms the payment as usual: the change applies at the discounted price.
    [paid] = await chat.vendor.say("wangfang", "确认收款 1")
    assert paid.startswith(
        "订单 1 已确认收款并生效：星辰科技，升级 售后服务版（运营优惠），¥8.00。"
    )


async def test_natural_phrasings_rates_amounts_and_rounding(chat: Offers) -> None:
    # 10 seats of 标准版 + 呼叫中心 at ¥149 for the last of 30 days: ¥49.67 (49.666… rounded
    # half up); 85折 is 4967 × 0.85 = 4221.95 fen → ¥42.22, so the discount is ¥7.45.
    [seats] = await chat.vendor.say("wangfang", "星辰科技要是加10个席位，给他们85折，本周内有效")
    assert "原价 ¥49.67，85折 −¥7.45，优惠后 ¥42.22" in seats
    assert "有效期至 2026-12-06（星辰科技当地日期）" in seats  # Sunday, in Los Angeles
    # acme, in Shanghai, is on the first day of a 31-day month: ERP版 costs ¥50 × 10 more.
    [erp] = await chat.vendor.say("wangfang", "给艾克米科技打个八折升级到ERP版，月底前有效")
    assert "原价 ¥500.00，8折 −¥100.00，优惠后 ¥400.00" in erp
    assert "有效期至 2026-12-31（艾克米科技当地日期）" in erp
    # An amount off, with no date: a week from today in Shanghai.
    [two] = await chat.vendor.say("wangfang", "给艾克米科技加2个席位减100")
    assert "原价 ¥258.00，优惠 ¥100.00 −¥100.00，优惠后 ¥158.00" in two
    assert "有效期至 2026-12-07" in two
    rows = await ProviderOffer.all().order_by("id").values_list("rate", "off_fen", "offered_fen")
    assert rows == [(85, None, 4222), (80, None, 40000), (None, 10000, 15800)]


async def test_nonsense_gets_what_to_type(chat: Offers) -> None:
    cases = {
        "给星辰科技优惠 升级售后服务版 0折 有效期至月底": (
            "「0折」不是有效的折扣：请写 1折 到 9.9折 之间，例如 8折、85折、九五折。"
        ),
        "给星辰科技优惠 升级售后服务版 10折 有效期至月底": (
            "「10折」不是有效的折扣：请写 1折 到 9.9折 之间，例如 8折、85折、九五折。"
        ),
        "给星辰科技加10个席位优惠500元": (
            "优惠金额 ¥500.00 不低于原价 ¥49.67，请写小于原价的金额或改用折扣。"
        ),
        "给星辰科技优惠 升级售后服务版 8折 有效期至2026-11-29": (
            "有效期 2026-11-29 已经过去了（星辰科技今天是 2026-11-30），请写今天或以后的日期。"
        ),
        "发优惠 星辰科技 升级售后服务版": "请写上折扣或优惠金额，例如：8折、85折、优惠500元。",
        "发优惠 星辰科技 8折": "要优惠的是什么？例如：升级售后服务版、加10个席位、开通工单。",
        "发优惠 蓝海集团 升级售后服务版 8折": (
            "没有找到名为「蓝海集团」的企业，发送「客户健康」查看全部客户。"
        ),
        "给星辰科技优惠 升级标准版 8折": "星辰科技：当前已经是标准版。",
        "撤回优惠": "请写上优惠编号，例如：撤回优惠 3（发送「优惠列表」查看编号）。",
        "撤回优惠 9": "没有编号为 9 的优惠。",
    }
    for text, reply in cases.items():
        assert await chat.vendor.say("wangfang", text) == [reply], text
    assert await ProviderOffer.all().count() == 0
    assert await chat.vendor.say("wangfang", "优惠列表") == [
        "还没有发出过优惠。例如：给星辰科技优惠 升级售后服务版 8折 有效期至月底"
    ]


async def test_the_offer_expires_after_the_last_day_of_the_tenants_calendar(
    chat: Offers, clock: FrozenClock
) -> None:
    await chat.vendor.say("wangfang", CANONICAL)
    await chat.deliver()
    clock.set(datetime(2026, 12, 1, 7, 59, tzinfo=UTC))  # 11-30 23:59 in Los Angeles
    [listed] = await chat.vendor.say("wangfang", "优惠列表")
    assert listed.endswith("有效期至 2026-11-30 · 待答复")
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # 12-01 00:00 there
    assert await chat.star.say("zhaoliu", "接受优惠 1") == [
        "优惠 #1 已于 2026-11-30 到期，不能再接受。如仍需要，请联系服务商。"
    ]
    offer = await ProviderOffer.get(id=1)
    assert (offer.status, offer.order_id, offer.pending_key) == (OfferStatus.EXPIRED, None, None)
    assert await Order.all().count() == 0
    [listed] = await chat.vendor.say("wangfang", "优惠列表")
    assert listed.endswith("有效期至 2026-11-30 · 已过期")


async def test_the_expiry_job_closes_the_offer_and_tells_its_operator_once(
    chat: Offers, clock: FrozenClock
) -> None:
    await chat.vendor.say("wangfang", CANONICAL)  # its card to zhaoliu is not sent yet
    clock.set(datetime(2026, 12, 1, 7, 59, tzinfo=UTC))  # 11-30 23:59 in Los Angeles
    assert await expire_due(clock.now()) == 0
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # 12-01 00:00 there
    # Two replicas' sweeps at once: one closes it, and one notice is written.
    assert sorted(await asyncio.gather(expire_due(clock.now()), expire_due(clock.now()))) == [
        0,
        1,
    ]
    assert await expire_due(clock.now()) == 0
    offer = await ProviderOffer.get(id=1)
    assert (offer.status, offer.pending_key) == (OfferStatus.EXPIRED, None)
    since = await chat.vendor.sim.sent_count()
    sender = chat.embedded.runtime.sender
    assert sender is not None
    await sender.sweep()
    sent = await chat.vendor.settle(since)
    # The card no admin had received yet is withdrawn; the operator hears it once.
    assert [m["body"]["touser"] for m in sent] == ["wangfang"]
    assert sent[0]["body"]["text"]["content"] == (
        "优惠 #1（星辰科技 · 升级 售后服务版 · 8折）已于 2026-11-30 到期，对方未答复，"
        "已自动失效。如仍想给，可重新发送「发优惠」。"
    )
    assert await chat.star.say("zhaoliu", "接受优惠 1") == [
        "优惠 #1 已于 2026-11-30 到期，不能再接受。如仍需要，请联系服务商。"
    ]


async def test_withdrawing_and_declining(chat: Offers) -> None:
    await chat.vendor.say("wangfang", CANONICAL)
    assert await chat.vendor.say("wangfang", "把优惠1撤回") == [
        "已撤回优惠 #1（星辰科技 · 升级 售后服务版）。还没送出的 1 张卡片不再发送。"
    ]
    assert await chat.deliver() == []
    assert await chat.star.say("zhaoliu", "接受优惠 1") == [
        "优惠 #1 已被服务商撤回。如仍需要，请联系服务商。"
    ]
    assert await chat.vendor.say("wangfang", "撤回优惠 1") == ["优惠 #1 已撤回，不能撤回。"]
    # Withdrawn, the same change can be offered again, on other terms.
    [again] = await chat.vendor.say("wangfang", "给星辰科技优惠 升级售后服务版 九折 有效期至月底")
    assert again.startswith("已发出优惠 #2：")
    await chat.deliver()
    assert await press(chat.star, "zhaoliu", "offer:decline:2") == [
        "好的，已谢绝优惠 #2（升级 售后服务版）。"
    ]
    [listed] = await chat.vendor.say("wangfang", "优惠列表")
    assert listed.split("\n")[1:] == [
        "#2 星辰科技 · 升级 售后服务版 · 9折 ¥10.00 → ¥9.00 · 有效期至 2026-11-30 · 已谢绝",
        "#1 星辰科技 · 升级 售后服务版 · 8折 ¥10.00 → ¥8.00 · 有效期至 2026-11-30 · 已撤回",
    ]


async def test_only_operators_make_offers(chat: Offers) -> None:
    refused = "只有服务商的运营人员可以发优惠、查看和撤回优惠。"
    assert await chat.acme.say("zhangsan", "发优惠 星辰科技 升级售后服务版 8折 有效期至月底") == [
        refused
    ]
    assert await chat.star.say("zhaoliu", "优惠列表") == [refused]
    # A client's own sentence is not taken for the provider's command.
    await chat.acme.say("zhangsan", CANONICAL)
    assert await ProviderOffer.all().count() == 0
    # An operator's offer is accepted by the client's admins only.
    await chat.vendor.say("wangfang", CANONICAL)
    assert await chat.acme.say("zhangsan", "接受优惠 1") == ["没有编号为 1 的优惠。"]


def test_rates_round_half_up_to_the_fen() -> None:
    assert Discount(rate=85).offered_fen(4967) == 4222  # 4221.95
    assert Discount(rate=50).offered_fen(3) == 2  # 1.5
    assert Discount(rate=85).offered_fen(1) == 1  # 0.85
    assert Discount(rate=80).offered_fen(1000) == 800
    assert Discount(off_fen=10000).offered_fen(25800) == 15800
    assert [Discount(rate=r).label() for r in (80, 85, 95)] == ["8折", "85折", "95折"]


async def test_two_replicas_proposing_at_once_make_one_offer_and_one_card(
    chat: Offers, clock: FrozenClock
) -> None:
    """Both read "no open offer"; the unique pending key lets one write the offer and card."""
    info = await chat.embedded.runtime.tenants.get("other")
    assert info is not None
    line = LineItem("升级 标准版 → 售后服务版", 1, Decimal("10.00"), Decimal("10.00"))
    plain = Purchase(
        OrderKind.CHANGE,
        {"edition": "aftersales"},
        "升级 售后服务版",
        Quote.of([line], date(2026, 11, 30)),
    )
    rate = Discount(rate=80)
    priced = discounted(plain, rate)
    valid = date(2026, 11, 30)
    both = await asyncio.gather(
        propose(info, "vendor:wangfang", priced, rate, valid, clock.now()),
        propose(info, "vendor:wangfang", priced, rate, valid, clock.now()),
    )
    assert sorted(p.fresh for p in both) == [False, True]
    assert {p.offer.id for p in both} == {1}
    assert await ProviderOffer.all().count() == 1
    assert await OutboxMessage.filter(idempotency_key__startswith="offer:1:").count() == 1
    assert len(cards_to(await chat.deliver(), "zhaoliu")) == 1
