"""Orders in chat as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai: writing
an order with a discount and a payment plan, confirming it, money in and out, shipping in
parts, cancelling, the lists, WeCom's retries and the module's entitlement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer
from support.orders import order_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.orders import moves
from bot.orders.asking import LineAsked, OrderAsked
from bot.orders.store import create_order
from models.crm.customers import Customer
from models.inbox import InboxUpdate
from models.orders import (
    Collection,
    Order,
    OrderLine,
    OrderState,
    PaymentInstallment,
    Refund,
    Shipment,
    ShipmentLine,
)
from models.products import Product
from models.tenants import Employee

N1 = "DD-20261123-0001"
N2 = "DD-20261123-0002"
SENTENCE = "给星辰科技下单 A4纸 20箱 单价25，打9折，分两期付款，首付一半下周五前"
CARD = (
    f"订单 {N1}（待确认）\n"
    "客户：星辰科技 · 负责人：李四\n"
    "1. A4纸 20箱 × ¥25.00 = ¥500.00\n"
    "小计 ¥500.00，打9折 −¥50.00，合计 ¥450.00\n"
    "回款计划：第1期 ¥225.00 12月4日（周五）前；第2期 ¥225.00 1月3日（周日）前\n"
    "已收 ¥0.00 · 未收 ¥450.00 · 未付款 · 未发货"
)
ASK = "点卡片上的「确认」或回复「确认」生效，回复「取消」作废（也可以稍后发送「确认订单 0001」）。"
BUTTONS = f"【订单 {N1} 待确认】\n星辰科技 · 合计 ¥450.00\n[确认] [作废]"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with order_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        yield opened


async def confirmed(chat: Chat, text: str = SENTENCE) -> Order:
    await chat.say("lisi", text)
    await chat.say("lisi", "确认")
    return await Order.all().order_by("-id").first()  # type: ignore[return-value]


async def test_a_natural_sentence_writes_a_draft_with_discount_and_plan(chat: Chat) -> None:
    assert await chat.say("lisi", SENTENCE) == [
        f"{CARD}\n新产品「A4纸」已按单价 ¥25.00/箱 建档。\n{ASK}",
        BUTTONS,
    ]
    order = await Order.get(number=N1)
    assert (order.state, order.subtotal_fen, order.discount_percent) == (
        OrderState.DRAFT,
        50000,
        90,
    )
    assert (order.discount_fen, order.total_fen) == (5000, 45000)
    [line] = await OrderLine.filter(order_id=order.id)
    assert (line.qty, line.unit, line.unit_price_fen, line.line_total_fen) == (
        20,
        "箱",
        2500,
        50000,
    )
    plan = await PaymentInstallment.filter(order_id=order.id).order_by("period")
    assert [(p.due_date, p.amount_fen) for p in plan] == [
        (date(2026, 12, 4), 22500),
        (date(2027, 1, 3), 22500),
    ]
    product = await Product.get(name="A4纸")
    assert (product.sale_price_fen, product.unit, product.purchase_price_fen) == (2500, "箱", None)
    assert await chat.say("lisi", "确认") == [
        f"已确认订单 {N1}，合计 ¥450.00。收到钱后发送「收款 0001 金额 方式」记回款。"
    ]
    order = await Order.get(number=N1)
    assert (order.state, order.confirmed_at) == (OrderState.CONFIRMED, MONDAY_10AM)
    assert await chat.say("lisi", "确认订单 0001") == [f"订单 {N1} 已经确认过了。"]


async def test_a_known_product_keeps_its_price_and_an_unknown_one_needs_one(chat: Chat) -> None:
    assert await chat.say("lisi", "下单 星辰科技 订书机 5个") == [
        "「订书机」还没有建档，请写上单价，例如：订书机 5个 单价25"
    ]
    assert not await Order.exists()
    await chat.say("lisi", "下单 星辰科技 订书机 5个 单价12.5 优惠2.5元")
    await chat.say("lisi", "取消")
    [reply, _] = await chat.say("lisi", "下单 星辰科技 订书机 2个")
    assert "1. 订书机 2个 × ¥12.50 = ¥25.00\n小计 ¥25.00，合计 ¥25.00\n" in reply
    assert "新产品" not in reply
    assert "回款计划：第1期 ¥25.00 12月23日（周三）前\n" in reply  # 30 days' terms
    first = await Order.get(number=N1)
    assert (first.state, first.discount_fen, first.total_fen) == (OrderState.CANCELLED, 250, 6000)


async def test_wrong_input_gets_what_to_type(chat: Chat) -> None:
    usage = (
        "请按这个格式写：下单 客户 商品 数量 单价，例如：下单 星辰科技 A4纸 20箱 单价25。"
        "可以再写「打9折」或「优惠200元」，「分两期付款，首付一半下周五前」。"
    )
    assert await chat.say("lisi", "下单") == [usage]
    assert await chat.say("lisi", "下单 星辰科技") == [usage]
    assert await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25 快点送") == [
        f"没看懂「快点送」。{usage}"
    ]
    assert await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价二五") == [
        "没看懂金额「二五」，请写数字，例如 260、260.5、2.6万。"
    ]
    assert await chat.say("lisi", "下单 月亮科技 A4纸 20箱 单价25") == [
        "没有找到客户「月亮科技」。请先「新建客户 月亮科技」，再下单。"
    ]
    assert await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25 首付600") == [
        "首付 ¥600.00 超过了订单合计，请改小一点。"
    ]
    assert await chat.say("lisi", "订单 0009") == [
        "没有找到订单「0009」。发送「我的订单」看你的订单，或写完整编号，"
        "例如：订单 DD-20261123-0001"
    ]
    assert not await Order.exists()


async def test_the_order_card_shows_progress(chat: Chat) -> None:
    await confirmed(chat)
    assert await chat.say("wangwu", "订单 0001") == [CARD.replace("待确认", "已确认")]
    assert await chat.say("wangwu", "订单0001怎么样了") == [CARD.replace("待确认", "已确认")]


async def test_a_collection_by_customer_name_finds_the_open_order(chat: Chat) -> None:
    order = await confirmed(chat)
    assert await chat.say("lisi", "收到星辰科技回款 225 转账") == [
        f"已记回款 ¥225.00（转账），订单 {N1}（星辰科技）：已收 ¥225.00，未收 ¥225.00，部分回款。"
    ]
    [row] = await Collection.filter(order_id=order.id)
    assert (row.amount_fen, row.method, row.source, row.received_at) == (
        22500,
        "转账",
        "chat",
        MONDAY_10AM,
    )
    [card] = await chat.say("lisi", "订单 0001")
    assert "第1期 ¥225.00 12月4日（周五）前（已收）；第2期" in card
    assert card.endswith("已收 ¥225.00 · 未收 ¥225.00 · 部分回款 · 未发货")
    assert await chat.say("lisi", "收款 星辰科技 300 微信") == [
        f"订单 {N1} 只差 ¥225.00 未收，这笔 ¥300.00 多了。请核对金额"
        "（要收预付款，管理员可以「订单设置 允许超收 是」）。"
    ]
    assert await chat.say("lisi", "收款 星辰科技 好多钱") == [
        "没看懂金额「好多钱」，请写数字，例如 5000、260.5、2.6万。"
    ]
    assert await Collection.all().count() == 1


async def test_two_open_orders_ask_which_one_by_number(chat: Chat) -> None:
    await confirmed(chat)
    await confirmed(chat, "下单 客户 星辰科技 A4纸 10箱")
    assert await chat.say("lisi", "收款 星辰科技 100 现金") == [
        "星辰科技 有 2 个待回款的订单，这笔 ¥100.00 是哪个订单的？\n"
        f"1. {N1} 0001 星辰科技 ¥450.00，已收 ¥0.00，未收 ¥450.00\n"
        f"2. {N2} 0002 星辰科技 ¥250.00，已收 ¥0.00，未收 ¥250.00\n"
        "请回复序号选择，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "5") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    assert await chat.say("lisi", "2") == [
        f"已记回款 ¥100.00（现金），订单 {N2}（星辰科技）：已收 ¥100.00，未收 ¥150.00，部分回款。"
    ]
    second = await Order.get(number=N2)
    assert [c.order_id for c in await Collection.all()] == [second.id]
    await chat.say("lisi", "收款 星辰科技 100")
    assert await chat.say("lisi", "取消") == ["好的，没有记这笔回款。"]
    assert await Collection.all().count() == 1


async def test_a_draft_takes_no_money_and_an_order_number_names_it(chat: Chat) -> None:
    await chat.say("lisi", SENTENCE)
    await chat.say("lisi", "取消")
    assert await chat.say("lisi", "收款 0001 100") == [f"订单 {N1} 已取消。"]
    await chat.say("lisi", "下单给星辰科技 A4纸 4箱")
    assert await chat.say("lisi", "收款 0002 100") == [
        f"订单 {N2} 还没确认，先发送「确认订单 0002」。"
    ]
    await chat.say("lisi", "确认订单 0002")
    assert await chat.say("lisi", "收款 0002 100 微信") == [
        f"已记回款 ¥100.00（微信），订单 {N2}（星辰科技）：已收 ¥100.00，未收 ¥0.00，已付清。"
    ]


async def test_refunds_reduce_what_is_paid(chat: Chat) -> None:
    await confirmed(chat)
    await chat.say("lisi", "收款 0001 450 转账")
    assert await chat.say("lisi", "退款 0001 500") == [f"订单 {N1} 已收 ¥450.00，最多退 ¥450.00。"]
    assert await chat.say("lisi", "订单0001退款50 少发一箱") == [
        f"已记退款 ¥50.00，订单 {N1}：已收 ¥400.00，未收 ¥50.00，部分回款。"
    ]
    [refund] = await Refund.all()
    assert (refund.amount_fen, refund.reason) == (5000, "少发一箱")
    assert await chat.say("lisi", "退款 0001") == [
        "请按这个格式写：退款 0001 金额 原因，例如：退款 0001 50 少发一箱"
    ]


async def test_shipping_in_parts_never_more_than_ordered(chat: Chat) -> None:
    await confirmed(chat)
    assert await chat.say("lisi", "发货 0001 A4纸 10箱 顺丰 SF123456") == [
        f"已发货，订单 {N1}：A4纸 10箱（顺丰 SF123456）。部分发货，还差 A4纸 10箱。"
    ]
    [shipment] = await Shipment.all()
    assert (shipment.carrier, shipment.tracking_no) == ("顺丰", "SF123456")
    assert await chat.say("lisi", "发货 0001 A4纸 11箱") == [
        "「A4纸」订了 20箱，已发 10箱，最多还能发 10箱。"
    ]
    assert await chat.say("lisi", "发货 0001 硒鼓 1个") == [
        f"订单 {N1} 里没有「硒鼓」。订单里有：A4纸。"
    ]
    assert await chat.say("lisi", "订单0001全部发货 中通 ZT7788990") == [
        f"已发货，订单 {N1}：A4纸 10箱（中通 ZT7788990）。已发货。"
    ]
    assert sum(line.qty for line in await ShipmentLine.all()) == 20
    assert await chat.say("lisi", "发货 0001") == [f"订单 {N1} 已全部发货。"]
    assert await chat.say("lisi", "收款 0001 450 转账") == [
        f"已记回款 ¥450.00（转账），订单 {N1}（星辰科技）：已收 ¥450.00，未收 ¥0.00，已付清。\n"
        f"订单 {N1} 已付清并全部发货，已完成。"
    ]
    assert (await Order.get(number=N1)).state == OrderState.COMPLETED


async def test_cancelling_is_refused_once_money_arrived_unless_refunded(chat: Chat) -> None:
    await confirmed(chat)
    await chat.say("lisi", "收款 0001 100 转账")
    assert await chat.say("lisi", "取消订单 0001 客户不要了") == [
        f"订单 {N1} 已收 ¥100.00，不能取消。先「退款 0001 金额 原因」退回，再取消。"
    ]
    await chat.say("lisi", "退款 0001 100 客户不要了")
    assert await chat.say("lisi", "把订单0001取消了 客户不要了") == [f"已取消订单 {N1}。"]
    order = await Order.get(number=N1)
    assert (order.state, order.cancel_reason) == (OrderState.CANCELLED, "客户不要了")
    assert await chat.say("lisi", "取消订单 0001") == [f"订单 {N1} 已取消。"]
    assert await chat.say("lisi", "取消订单") == ["请按这个格式写：取消订单 0001 原因"]


async def test_lists_mine_unpaid_and_overdue(chat: Chat, clock: FrozenClock) -> None:
    assert await chat.say("lisi", "我的订单") == [
        "你还没有订单。下单发送：下单 客户 商品 数量 单价，例如：下单 星辰科技 A4纸 20箱 单价25"
    ]
    await confirmed(chat)
    await chat.say("lisi", "下单 星辰科技 A4纸 2箱")
    assert await chat.say("lisi", "我的订单") == [
        "（已放弃刚才「订单」没完成的操作）",
        "你的订单（最近 2 个）：\n"
        "0002 星辰科技 ¥50.00，已收 ¥0.00，待确认\n"
        "0001 星辰科技 ¥450.00，已收 ¥0.00，已确认 · 未付款",
    ]
    assert await chat.say("lisi", "待回款") == [
        "待回款 1 单，共 ¥450.00：\n"
        "0001 星辰科技 ¥450.00，已收 ¥0.00，未收 ¥450.00，下一期 12月4日（周五）"
    ]
    assert await chat.say("wangwu", "待回款") == ["没有待回款的订单。"]  # not wangwu's
    assert await chat.say("lisi", "逾期回款") == ["没有逾期的回款。"]
    clock.set(MONDAY_10AM.replace(month=12, day=7))  # the first period was due on the 4th
    assert await chat.say("lisi", "哪些客户逾期没付款") == [
        "逾期回款 1 单，共 ¥225.00：\n0001 星辰科技 ¥450.00，已收 ¥0.00，逾期 ¥225.00"
    ]
    assert await chat.say("zhangsan", "逾期回款") == [  # an admin sees everybody's
        "逾期回款 1 单，共 ¥225.00：\n0001 星辰科技 ¥450.00，已收 ¥0.00，逾期 ¥225.00"
    ]
    await chat.say("lisi", "收款 0001 225")
    assert await chat.say("lisi", "逾期回款") == ["没有逾期的回款。"]


async def test_sales_this_month_per_person_product_and_customer(chat: Chat) -> None:
    await add_customer("月亮科技")
    await confirmed(chat)
    await confirmed(chat, "下单 月亮科技 硒鼓 2个 单价299")
    await chat.say("wangwu", "下单 月亮科技 A4纸 4箱")
    await chat.say("wangwu", "确认")
    await chat.say("lisi", "收款 0001 225 转账")
    await chat.say("lisi", "下单 星辰科技 A4纸 1箱")  # a draft is not a sale
    assert await chat.say("zhangsan", "本月销售") == [
        "团队本月销售（11月1日 至 11月30日）：3 单，合计 ¥1,148.00，已收 ¥225.00，未收 ¥923.00。\n"
        "按人：李四 ¥1,048.00；王五 ¥100.00\n"
        "按产品：A4纸 ¥600.00；硒鼓 ¥598.00\n"
        "按客户：月亮科技 ¥698.00；星辰科技 ¥450.00"
    ]
    assert await chat.say("wangwu", "这个月卖了多少") == [
        "你的本月销售（11月1日 至 11月30日）：1 单，合计 ¥100.00，已收 ¥0.00，未收 ¥100.00。\n"
        "按产品：A4纸 ¥100.00\n按客户：月亮科技 ¥100.00"
    ]
    assert await chat.say("zhangsan", "上月销售") == ["团队上月还没有确认的订单。"]
    assert await chat.say("zhangsan", "上个月业绩怎么样") == ["团队上月还没有确认的订单。"]


async def test_a_message_wecom_delivers_twice_writes_one_order(chat: Chat) -> None:
    fields = {"MsgType": "text", "FromUserName": "lisi", "Content": SENTENCE, "MsgId": 9101}
    since = await chat.sim.sent_count()
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.settle(since)
    assert len(chat.sent_to("lisi")) == 2  # the order and its confirm card, once
    assert await Order.all().count() == 1
    assert await PaymentInstallment.all().count() == 2
    assert await InboxUpdate.filter(key="msg:9101").count() == 1


async def test_the_module_is_refused_without_orders_in_the_plan(
    settings: Settings, clock: FrozenClock
) -> None:
    async with order_chat(settings, clock, plan=None) as trial:
        await add_customer("星辰科技")
        [refusal] = await trial.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
        assert refusal.startswith(
            "「订单管理」未开通：销售订单、收款与发货跟踪，订单与客户档案关联"
        )
        assert refusal.endswith("请联系管理员开通，我已通知管理员。")
        assert await trial.say("lisi", "待回款") == [refusal]
        assert not await Order.exists()


async def test_the_customer_card_and_timeline_show_the_orders(chat: Chat) -> None:
    await confirmed(chat)
    await chat.say("lisi", "收款 0001 225 转账")
    await chat.say("lisi", "发货 0001 A4纸 5箱 顺丰 SF123456")
    [card] = await chat.say("lisi", "查客户 星辰科技")
    assert (
        "价值：B 级（59 分）：今天有互动，近 90 天互动 3 次，互动在增加，近一年成交 ¥450.00\n"
        # ¥450 sold today: a run rate of ¥900 a year, three more years at tier B.
        "成交：累计 ¥450.00，近一年 ¥450.00；预计终身价值 ¥3,150.00；新客户，尚无一年可比\n"
        f"最近互动：2026-11-23 10:00 订单 {N1} 发货 A4纸 5箱\n"
    ) in card
    assert await chat.say("lisi", "客户动态 星辰科技") == [
        "【星辰科技 的动态】最近 3 条：\n"
        f"· 2026-11-23 10:00 订单：{N1} 发货 A4纸 5箱（李四）\n"
        f"· 2026-11-23 10:00 订单：{N1} 回款 ¥225.00（转账）（李四）\n"
        f"· 2026-11-23 10:00 订单：{N1} 已确认，合计 ¥450.00（李四）"
    ]


async def test_admins_set_overpayment_terms_and_reminder_days(chat: Chat) -> None:
    shown = (
        "订单设置：允许超收 {over}；默认账期 {terms} 天（没写付款日期时每期间隔）；"
        "回款提醒 到期前 {remind} 天。\n"
        "修改：订单设置 允许超收 是/否、订单设置 账期 45天、订单设置 提醒 5天"
    )
    assert await chat.say("lisi", "订单设置") == ["仅管理员可用"]
    assert await chat.say("zhangsan", "订单设置") == [shown.format(over="否", terms=30, remind=3)]
    await confirmed(chat, "下单 星辰科技 A4纸 4箱 单价25")
    [refusal] = await chat.say("lisi", "收款 0001 150 转账")
    assert refusal == (
        f"订单 {N1} 只差 ¥100.00 未收，这笔 ¥150.00 多了。请核对金额"
        "（要收预付款，管理员可以「订单设置 允许超收 是」）。"
    )
    assert await chat.say("zhangsan", "允许收预付款") == [
        "已保存。" + shown.format(over="是", terms=30, remind=3)
    ]
    assert await chat.say("lisi", "收款 0001 150 转账") == [
        f"已记回款 ¥150.00（转账），订单 {N1}（星辰科技）：已收 ¥150.00，未收 ¥0.00，已付清。"
    ]
    [card] = await chat.say("lisi", "订单 0001")
    assert card.endswith("已收 ¥150.00 · 未收 ¥0.00 · 已付清（多收 ¥50.00） · 未发货")
    assert await chat.say("zhangsan", "账期改成45天") == [
        "已保存。" + shown.format(over="是", terms=45, remind=3)
    ]
    [reply, _] = await chat.say("lisi", "下单 星辰科技 A4纸 4箱 分两期")
    assert "回款计划：第1期 ¥50.00 1月7日（周四）前；第2期 ¥50.00 2月21日（周日）前" in reply
    assert await chat.say("zhangsan", "订单设置 提醒 50天") == [
        "提醒请写 0 到 30 天，例如：订单设置 提醒 5天"
    ]
    assert await chat.say("zhangsan", "订单设置 颜色 红") == [
        "请按这个格式写：订单设置 允许超收 是、订单设置 账期 45天 或 订单设置 提醒 5天"
    ]


async def test_an_order_named_any_way_takes_the_money(chat: Chat) -> None:
    await confirmed(chat)
    for ref in ("订单1", "#1", N1):
        [reply] = await chat.say("lisi", f"收款 {ref} 1 现金")
        assert reply.startswith(f"已记回款 ¥1.00（现金），订单 {N1}（星辰科技）")
    assert await Collection.all().count() == 3


async def test_admins_get_sales_statistics_with_a_chart(chat: Chat) -> None:
    await confirmed(chat)
    assert await chat.say("lisi", "销售统计") == ["仅管理员可用"]
    assert await chat.say("zhangsan", "销售统计 明年") == [
        "请按这个格式写：销售统计 本月（或 上月、本季、上季）"
    ]
    since = await chat.sim.sent_count()
    fields = {"MsgType": "text", "FromUserName": "zhangsan", "Content": "统计一下这个季度的业绩"}
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    sent = await chat.settle(since)
    assert [r["body"]["msgtype"] for r in sent] == ["text", "image"]
    assert chat.sent_to("zhangsan")[0] == (
        "团队本季销售（10月1日 至 12月31日）：1 单，合计 ¥450.00，已收 ¥0.00，未收 ¥450.00。\n"
        "按人：李四 ¥450.00\n按产品：A4纸 ¥500.00\n按客户：星辰科技 ¥450.00"
    )
    assert sent[1]["body"]["image"]["media_id"]
    assert await chat.say("zhangsan", "销售统计 上季") == ["团队上季还没有确认的订单。"]


async def test_several_customers_fit_and_the_next_message_chooses(chat: Chat) -> None:
    await add_customer("星辰贸易")
    [question] = await chat.say("lisi", "下单 星辰 A4纸 2箱 单价25")
    assert question.startswith("找到 2 个「星辰」相关的客户，这个订单是哪一位的？\n1. 星辰")
    assert question.endswith("请回复序号选择，回复「取消」放弃。")
    assert await chat.say("lisi", "取消") == ["好的，没有下单。"]
    await chat.say("lisi", "下单 星辰 A4纸 2箱 单价25")
    [reply, _] = await chat.say("lisi", "2")
    assert reply.startswith(f"订单 {N1}（待确认）\n客户：")
    order = await Order.get(number=N1)
    chosen = (await Order.get(number=N1).prefetch_related("customer")).customer
    assert order.customer_id == chosen.id and chosen.name in question.split("\n")[2]
    assert await chat.say("lisi", "确认订单") == [
        f"已确认订单 {N1}，合计 ¥50.00。收到钱后发送「收款 0001 金额 方式」记回款。"
    ]
    assert await chat.say("lisi", "确认订单") == ["请写上订单编号，例如：确认订单 0001"]


async def test_long_lists_show_the_oldest_and_count_the_rest(chat: Chat) -> None:
    lisi = await Employee.get(userid="lisi")
    customer = await Customer.get(name="星辰科技")
    asked = OrderAsked((LineAsked("A4纸", 1, "箱", 2500),))
    for _ in range(22):
        made = await create_order(1, customer, lisi, asked, MONDAY_10AM, date(2026, 11, 23))
        await moves.confirm(made.order, MONDAY_10AM, lisi)
    [reply] = await chat.say("lisi", "待回款")
    lines = reply.split("\n")
    assert lines[0] == "待回款 22 单，共 ¥550.00："
    assert lines[1].startswith("0001 星辰科技 ¥25.00") and lines[20].startswith("0020 ")
    assert lines[21:] == ["……还有 2 单没列出，发送「订单 编号」看某一单。"]


async def test_orders_to_ship_and_a_customers_orders(chat: Chat) -> None:
    assert await chat.say("lisi", "待发货") == ["没有待发货的订单。"]
    await confirmed(chat)
    await chat.say("lisi", "下单 星辰科技 硒鼓 3个 单价299")
    await chat.say("lisi", "确认")
    await chat.say("lisi", "发货 0001 A4纸 15箱")
    assert await chat.say("lisi", "哪些订单还没发货") == [
        "待发货 2 单：\n0001 星辰科技：还差 A4纸 5箱\n0002 星辰科技：还差 硒鼓 3个"
    ]
    await chat.say("lisi", "取消订单 0002")
    assert await chat.say("lisi", "星辰科技的订单") == [
        "「星辰科技」的订单（最近 2 个）：\n"
        "0002 星辰科技 ¥897.00，已收 ¥0.00，已取消\n"
        "0001 星辰科技 ¥450.00，已收 ¥0.00，已确认 · 未付款"
    ]
    assert await chat.say("lisi", "客户订单 月亮科技") == ["没有找到客户「月亮科技」。"]
    await add_customer("月亮科技")
    assert await chat.say("lisi", "客户订单 月亮科技") == ["「月亮科技」还没有订单。"]


async def test_the_confirm_card_buttons_confirm_or_void(chat: Chat) -> None:
    card = await card_for(chat, SENTENCE)
    confirm, void = (b["key"] for b in card["button_list"])
    assert (confirm, void) == ("order:confirm:1", "order:drop:1")
    assert await click(chat, "lisi", card["task_id"], confirm) == [
        f"已确认订单 {N1}，合计 ¥450.00。收到钱后发送「收款 0001 金额 方式」记回款。"
    ]
    assert (await Order.get(number=N1)).state == OrderState.CONFIRMED
    # The chat's question ended with the click: 确认 is no longer an answer to it.
    assert "已确认订单" not in "".join(await chat.say("lisi", "确认"))
    card = await card_for(chat, "下单 星辰科技 A4纸 2箱")
    assert await click(chat, "lisi", card["task_id"], card["button_list"][1]["key"]) == [
        f"好的，订单 {N2} 已作废。"
    ]
    assert (await Order.get(number=N2)).state == OrderState.CANCELLED


async def card_for(chat: Chat, text: str) -> dict[str, Any]:
    since = await chat.sim.sent_count()
    await chat.say("lisi", text)
    [card] = [
        r["body"]["template_card"]
        for r in await chat.sim.sent(since=since)
        if r["body"].get("msgtype") == "template_card"
    ]
    return card  # type: ignore[no-any-return]


async def click(chat: Chat, user: str, task_id: str, key: str) -> list[str]:
    since = await chat.sim.sent_count()
    await chat.sim.click_card(chat.tenant, user, task_id, key)
    await chat.settle(since)
    return chat.sent_to(user)


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "下单 星辰科技 A4纸 99999999999999999999箱 单价25",
            "「A4纸」的数量 99999999999999999999 太大了，最多 10亿，请核对一下。",
        ),
        (
            "下单 星辰科技 A4纸 20箱 单价99999999999999999999",
            "金额「99999999999999999999」太大了，最多 100亿元，请核对一下。",
        ),
        (
            "下单 星辰科技 A4纸 1000000000箱 单价10000",
            "这张订单合计 ¥10,000,000,000,000.00，超过了上限 100亿元，请核对数量和单价。",
        ),
        (
            "下单 星辰科技 A4纸 20箱 单价25 优惠99999999999999999999",
            "金额「99999999999999999999」太大了，最多 100亿元，请核对一下。",
        ),
    ],
)
async def test_huge_quantities_and_prices_are_refused_with_the_limit(
    chat: Chat, text: str, reply: str
) -> None:
    assert await chat.say("lisi", text) == [reply]
    assert await Order.all().count() == 0 and await Product.all().count() == 0


async def test_huge_collections_refunds_and_shipments_are_refused(chat: Chat) -> None:
    await confirmed(chat)
    huge = "99999999999999999999"
    assert await chat.say("lisi", f"收款 0001 {huge} 转账") == [
        f"金额「{huge}」太大了，最多 100亿元，请核对一下。"
    ]
    assert await chat.say("lisi", f"退款 0001 {huge} 多收") == [
        f"金额「{huge}」太大了，最多 100亿元，请核对一下。"
    ]
    assert await chat.say("lisi", f"发货 0001 A4纸 {huge}箱 顺丰 SF123456") == [
        f"「A4纸」的数量 {huge} 太大了，最多 10亿，请核对一下。"
    ]
    assert await Collection.all().count() == 0 and await Shipment.all().count() == 0
