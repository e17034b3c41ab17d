"""Work orders told the way support staff tell a colleague: the problem first and the ask to
open a ticket at the end (…，急，马上建工单), a ticket named by its number and followed by
what happened (0001客户那边还没备好料，先等着), and the lists asked for in plain words. Each
transcript checks the reply and the ticket as stored. zhaoliu dispatches, lisi and wangwu are
members."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.tickets import ticket_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.tickets import Ticket, TicketComment, TicketPriority, TicketStatus

N1 = "GD-20261123-0001"
N2 = "GD-20261123-0002"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def test_a_ticket_asked_for_after_the_problem(chat: Chat) -> None:
    await add_customer("祁经理")
    await add_customer("严总")
    [reply] = await chat.say("zhaoliu", "祁经理的交换机冒烟了，急，马上建工单")
    assert reply.startswith(f"已创建工单 {N1}：交换机冒烟了\n客户：祁经理 · 优先级：紧急"), reply
    [reply] = await chat.say("zhaoliu", "严总说投影仪没信号，给他起个工单")
    assert reply.startswith(f"已创建工单 {N2}：投影仪没信号\n客户：严总 · 优先级：中"), reply
    [reply] = await chat.say("zhaoliu", "开个内部工单，前台电话没声音")
    assert "：前台电话没声音\n客户：内部工单" in reply, reply
    titles = await Ticket.all().order_by("seq").values_list("title", "priority")
    assert titles == [
        ("交换机冒烟了", TicketPriority.URGENT),
        ("投影仪没信号", TicketPriority.NORMAL),
        ("前台电话没声音", TicketPriority.NORMAL),
    ]


async def test_a_numbered_ticket_followed_by_what_happened(chat: Chat) -> None:
    await add_customer("张三")
    await chat.say("zhaoliu", "新建工单 张三 打印机无法开机")
    assert await chat.say("zhaoliu", "0001这单让李四去跑一趟") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert await chat.say("lisi", "0001我这边在弄了") == [f"工单 {N1} 已标记为处理中。"]
    assert await chat.say("lisi", "0001内部记一下，配件要从厂家调") == [
        f"已给工单 {N1} 添加内部备注。"
    ]
    [reply] = await chat.say("lisi", "跟0001的客户说一声 师傅明早到")
    assert reply.startswith(f"已回复工单 {N1}（客户可见）：师傅明早到"), reply
    assert await chat.say("lisi", "0001客户那边还没备好料，先等着") == [
        f"工单 {N1} 已标记为等待客户，解决时限暂停计时。"
    ]
    [reply] = await chat.say("lisi", "0001这单可以标解决了，换了定影器")
    assert reply.startswith(f"工单 {N1} 已解决：换了定影器"), reply
    assert await chat.say("zhaoliu", "0001客户说都好了，关掉吧") == [f"工单 {N1} 已关闭。"]
    ticket = await Ticket.get(number=N1)
    assert ticket.status == TicketStatus.CLOSED
    comments = await TicketComment.filter(ticket_id=ticket.id).order_by("id")
    assert [(c.text, c.internal) for c in comments] == [
        ("配件要从厂家调", True),
        ("师傅明早到", False),
        ("换了定影器", False),
    ]


async def test_progress_asked_in_plain_words_shows_the_ticket(chat: Chat) -> None:
    await add_customer("张三")
    await chat.say("zhaoliu", "新建工单 张三 打印机无法开机")
    [card] = await chat.say("zhaoliu", "工单 0001")
    for said in ("0001进度怎么样", "0001修得怎么样了", "0001这个工单谁在跟", "打开0001看看"):
        assert await chat.say("zhaoliu", said) == [card], said


async def test_lists_asked_in_plain_words(chat: Chat) -> None:
    await add_customer("张三")
    await chat.say("lisi", "新建工单 张三 打印机无法开机")
    await chat.say("zhaoliu", "派单 0001 给 李四")
    await chat.say("lisi", "处理中 0001")
    assert await chat.say("zhaoliu", "正在修的工单列一下") == await chat.say(
        "zhaoliu", "工单列表 处理中"
    )
    assert await chat.say("lisi", "我报的单子列一下") == await chat.say("lisi", "工单列表 我创建的")
    assert await chat.say("zhaoliu", "在等客户回复的单子看一下") == ["没有等待客户的工单。"]
    assert await chat.say("zhaoliu", "看看拖得太久的工单") == await chat.say("zhaoliu", "超时工单")


async def test_chatter_about_work_orders_changes_nothing(chat: Chat) -> None:
    await add_customer("张三")
    await chat.say("zhaoliu", "新建工单 张三 打印机无法开机")
    for said in ("今天工单好多，忙死了", "张总那边的事情很急，赶紧开会", "等客户的时候喝了杯咖啡"):
        [reply] = await chat.say("zhaoliu", said)
        assert not reply.startswith(("已创建工单", "工单 ")), (said, reply)
    assert await Ticket.all().count() == 1
    assert (await Ticket.get(number=N1)).status == TicketStatus.NEW


async def test_a_ticket_named_by_its_customer_or_as_the_latest(chat: Chat) -> None:
    await add_customer("戴总")
    await add_customer("张三")
    await chat.say("zhaoliu", "新建工单 张三 打印机无法开机")
    await chat.say("zhaoliu", "新建工单 戴总 路由器掉线")
    [card] = await chat.say("zhaoliu", "工单 0002")
    assert await chat.say("zhaoliu", "戴总那个工单现在什么进度") == [card]
    assert await chat.say("zhaoliu", "刚才那个工单啥情况") == [card]
    [reply] = await chat.say("zhaoliu", "戴总那个工单搞定了，换了电源")
    assert reply.startswith(f"工单 {N2} 已解决：换了电源"), reply
    assert (await Ticket.get(number=N2)).status == TicketStatus.RESOLVED
    # The latest open one is now 0001.
    [reply] = await chat.say("zhaoliu", "刚刚那个工单修好了")
    assert reply.startswith(f"工单 {N1} 已解决。"), reply


async def test_a_customer_with_several_open_tickets_is_asked_for_the_number(chat: Chat) -> None:
    await add_customer("戴总")
    await chat.say("zhaoliu", "新建工单 戴总 路由器掉线")
    await chat.say("zhaoliu", "新建工单 戴总 打印机卡纸")
    assert await chat.say("zhaoliu", "戴总那个工单搞定了") == [
        f"「戴总」有 2 张未完成的工单，请写工单号：\n{N1} 路由器掉线\n{N2} 打印机卡纸"
    ]
    assert await chat.say("zhaoliu", "钟姐那个工单怎么样了") == [
        "「钟姐」没有未完成的工单。请写工单号，例如：工单 0001"
    ]
    assert [t.status for t in await Ticket.all()] == [TicketStatus.NEW, TicketStatus.NEW]
