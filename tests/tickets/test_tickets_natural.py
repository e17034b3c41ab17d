"""Work orders the way support staff type them, through the simulator on a frozen Monday:
each natural phrasing does what its canonical command does (same reply, same change), every
way of naming a ticket (0001, 1, #1, 1号, 第1个, 工单1) finds it, and 工单列表 pages the open
ones. zhaoliu dispatches, lisi and wangwu are members, zhangsan is the admin."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.tickets import ticket_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.tickets import Ticket, TicketComment, TicketStatus

N1 = "GD-20261123-0001"
N2 = "GD-20261123-0002"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def opened(chat: Chat, text: str = "张三 打印机无法开机 紧急", by: str = "zhaoliu") -> None:
    if not await Ticket.exists():
        await add_customer("张三")
    await chat.say(by, f"新建工单 {text}")


async def test_opening_a_ticket_in_a_sentence(chat: Chat) -> None:
    zhang = await add_customer("张总")
    [reply] = await chat.say("zhaoliu", "给张总开个工单 打印机卡纸")
    assert reply.startswith(f"已创建工单 {N1}：打印机卡纸\n客户：张总 · 优先级：中")
    [reply] = await chat.say("zhaoliu", "客户说打印机又坏了 帮我建个单 张总")
    assert reply.startswith(f"已创建工单 {N2}：打印机又坏了\n客户：张总 · 优先级：中")
    [reply] = await chat.say("zhaoliu", "帮我给张总开个工单：投影仪没信号 紧急")
    assert "客户：张总 · 优先级：紧急" in reply
    [reply] = await chat.say("zhaoliu", "张总的复印机坏了，开个工单")
    assert "：复印机坏了\n客户：张总 · " in reply
    rows = await Ticket.filter(customer_id=zhang.id).order_by("seq").values_list("title", flat=True)
    assert rows == ["打印机卡纸", "打印机又坏了", "投影仪没信号", "复印机坏了"]


async def test_a_problem_without_a_customer_asks_whose_it_is(chat: Chat) -> None:
    zhang = await add_customer("张总")
    [reply] = await chat.say("zhaoliu", "客户那边复印机一直卡纸，帮我开个维修单")
    assert reply == (
        "记下了问题：复印机一直卡纸。这是哪位客户的？回复客户名（如 张总、星辰科技），"
        "内部问题回复「内部」，不建了回复「取消」。"
    )
    assert not await Ticket.exists()
    [reply] = await chat.say("zhaoliu", "张总")
    assert reply.startswith(f"已创建工单 {N1}：复印机一直卡纸\n客户：张总 · 优先级：中")
    assert (await Ticket.get(number=N1)).customer_id == zhang.id
    [reply] = await chat.say("zhaoliu", "报修：前台收银机开不了机")
    assert reply.startswith("记下了问题：前台收银机开不了机。")
    [reply] = await chat.say("zhaoliu", "内部")
    assert reply.startswith(f"已创建工单 {N2}：前台收银机开不了机\n客户：内部工单")


async def test_a_customer_named_in_a_report_needs_no_question(chat: Chat) -> None:
    await add_customer("李总")
    [reply] = await chat.say("zhaoliu", "登记一个售后问题，李总的投影仪没有画面")
    assert reply.startswith(f"已创建工单 {N1}：投影仪没有画面\n客户：李总 · ")


async def test_asking_whose_gives_up_after_two_names_it_cannot_find(chat: Chat) -> None:
    await chat.say("zhaoliu", "有个客户反馈打印出来全是黑的，录一下")
    assert await chat.say("zhaoliu", "钱老板") == [
        "没有找到客户「钱老板」。请回复客户名（可以只写姓加称呼，如 张总），或「内部」「取消」。"
    ]
    [reply] = await chat.say("zhaoliu", "孙老板")
    assert reply == (
        "还是没有找到客户「孙老板」，这张工单先没建。问题是：打印出来全是黑的\n"
        "先「新建客户 客户名」，再发送「新建工单 客户名 打印出来全是黑的」。"
    )
    assert not await Ticket.exists()
    await chat.say("zhaoliu", "客户的扫描仪卡纸，帮我开个工单")
    assert await chat.say("zhaoliu", "算了") == ["好的，没有创建这张工单。"]
    assert not await Ticket.exists()


async def test_resolved_in_a_sentence_resolves_the_ticket(chat: Chat) -> None:
    await opened(chat)
    [reply] = await chat.say("zhaoliu", "工单0001已解决")
    assert reply.startswith(f"工单 {N1} 已解决。\n解决用时 ")
    ticket = await Ticket.get(number=N1)
    assert ticket.status == TicketStatus.RESOLVED
    # nothing was said about how, so the customer-visible thread gets no empty reply
    assert await TicketComment.filter(ticket_id=ticket.id).count() == 0


async def test_done_in_a_sentence_resolves_it_too(chat: Chat) -> None:
    await opened(chat)
    [reply] = await chat.say("zhaoliu", "0001搞定了")
    assert reply.startswith(f"工单 {N1} 已解决。\n")
    assert (await Ticket.get(number=N1)).status == TicketStatus.RESOLVED


async def test_text_after_the_ticket_keeps_its_words(chat: Chat) -> None:
    await opened(chat)
    [reply] = await chat.say("zhaoliu", "回复 0001 工单已处理")
    assert reply.startswith(f"已回复工单 {N1}（客户可见）：工单已处理")
    [reply] = await chat.say("zhaoliu", "回复工单0001：已远程处理")
    assert reply.startswith(f"已回复工单 {N1}（客户可见）：已远程处理")


async def test_a_solution_after_the_sentence_is_the_reply_to_the_customer(chat: Chat) -> None:
    await opened(chat)
    [reply] = await chat.say("zhaoliu", "0001搞定了，换了电源")
    assert reply.startswith(f"工单 {N1} 已解决：换了电源\n")
    [comment] = await TicketComment.filter(ticket_id=(await Ticket.get(number=N1)).id)
    assert (comment.text, comment.internal) == ("换了电源", False)


async def test_the_canonical_resolve_still_asks_for_the_solution(chat: Chat) -> None:
    await opened(chat)
    assert await chat.say("zhaoliu", "解决 0001") == [
        "请按这个格式写：解决 0001 更换电源（写上解决办法）"
    ]
    [reply] = await chat.say("zhaoliu", "解决 0001 无")
    assert reply.startswith(f"工单 {N1} 已解决。\n")


async def test_every_way_of_naming_a_ticket_shows_it(chat: Chat) -> None:
    await opened(chat)
    [detail] = await chat.say("lisi", "工单 0001")
    assert detail.startswith(f"工单 {N1} · 待派单")
    for said in (
        "查看工单0001",
        "看下1号工单",
        "工单1",
        "工单 #1",
        "工单 1号",
        "工单 第1个",
        "打开第1个工单",
        "0001什么情况",
        "工单0001怎么样了",
        "工单0001的详情",
        "查工单0001",
        "工单进度 0001",
        "工单0001现在到哪一步了",
        "工单0001的情况发我",
        "工单1号处理得怎么样",
    ):
        assert await chat.say("lisi", said) == [detail], said


async def test_dispatching_and_transferring_in_a_sentence(chat: Chat) -> None:
    await opened(chat, by="lisi")
    assert await chat.say("zhaoliu", "把0001派给李四") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert (await Ticket.get(number=N1)).assignee_id is not None
    assert await chat.say("lisi", "0001转给王五处理") == [
        f"已把工单 {N1} 转派给 王五，等待对方接单。"
    ]
    ticket = await Ticket.get(number=N1)
    await ticket.fetch_related("assignee")
    assert ticket.assignee is not None and ticket.assignee.userid == "wangwu"
    assert await chat.say("zhaoliu", "让李四处理工单0001") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert await chat.say("lisi", "派单 #1 给 王五") == ["仅管理员和派单员可用"]
    assert await chat.say("zhaoliu", "0001让王五处理") == [
        f"已把工单 {N1} 派给 王五，等待对方接单。"
    ]
    assert await chat.say("zhaoliu", "工单0001让李四来跟") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert await chat.say("lisi", "0001这个工单转给王五") == [
        f"已把工单 {N1} 转派给 王五，等待对方接单。"
    ]


async def test_working_a_ticket_in_sentences(chat: Chat) -> None:
    await opened(chat)
    assert await chat.say("zhaoliu", "开始处理1号工单") == [f"工单 {N1} 已标记为处理中。"]
    [reply] = await chat.say("zhaoliu", "工单0001回复：已远程处理")
    assert reply.startswith(f"已回复工单 {N1}（客户可见）：已远程处理")
    assert await chat.say("zhaoliu", "给工单0001加个备注：备件明天到") == [
        f"已给工单 {N1} 添加内部备注。"
    ]
    assert await chat.say("zhaoliu", "0001等客户回复") == [
        f"工单 {N1} 已标记为等待客户，解决时限暂停计时。"
    ]
    comments = await TicketComment.filter(ticket_id=(await Ticket.get(number=N1)).id)
    assert sorted((c.text, c.internal) for c in comments) == [
        ("备件明天到", True),
        ("已远程处理", False),
    ]
    [reply] = await chat.say("zhaoliu", "第1个工单搞定了")
    assert reply.startswith(f"工单 {N1} 已解决。")
    [reply] = await chat.say("zhaoliu", "0001又坏了")
    assert reply.startswith(f"工单 {N1} 已重开（")
    assert await chat.say("zhaoliu", "把0001关掉") == [f"工单 {N1} 已关闭。"]
    assert (await Ticket.get(number=N1)).status == TicketStatus.CLOSED


async def test_attaching_my_list_and_overdue_in_sentences(chat: Chat) -> None:
    await opened(chat)
    assert await chat.say("zhaoliu", "给工单0001传几张照片") == [
        f"请发送工单 {N1} 的图片或文件（最多 9 个），发完回复「完成」，回复「取消」放弃。"
    ]
    assert await chat.say("zhaoliu", "取消") == ["好的，没有添加附件。"]
    assert await chat.say("lisi", "我手上有哪些工单") == await chat.say("lisi", "我的工单")
    assert await chat.say("lisi", "哪些工单超时了") == await chat.say("lisi", "超时工单")
    assert await chat.say("zhaoliu", "最近7天的工单统计") == await chat.say("zhaoliu", "工单统计 7")
    assert await chat.say("lisi", "分给我的单子有哪些") == await chat.say("lisi", "我的工单")
    assert await chat.say("lisi", "有没有逾期没解决的工单") == await chat.say("lisi", "超时工单")
    assert await chat.say("zhaoliu", "这个月修了多少单") == await chat.say("zhaoliu", "工单统计")
    for said in ("这个月工单处理情况", "看下售后的统计"):
        assert await chat.say("zhaoliu", said) == await chat.say("zhaoliu", "工单统计"), said
    assert await chat.say("zhaoliu", "帮我查查1号工单") == await chat.say("zhaoliu", "工单 0001")
    assert await chat.say("zhaoliu", "0001补充一下现场图片") == [
        f"请发送工单 {N1} 的图片或文件（最多 9 个），发完回复「完成」，回复「取消」放弃。"
    ]
    await chat.say("zhaoliu", "取消")
    assert await chat.say("lisi", "工单1我接了，正在处理") == [f"工单 {N1} 已标记为处理中。"]


# --- 工单列表 ----------------------------------------------------------------------------------


async def test_the_list_shows_every_open_ticket_to_a_dispatcher(chat: Chat) -> None:
    await opened(chat)
    await chat.say("lisi", "新建工单 内部 网络很慢")
    await chat.say("zhaoliu", "派单 0002 给 李四")
    await chat.say("zhaoliu", "新建工单 内部 空调漏水")
    await chat.say("zhaoliu", "解决 0003 换了水管")
    [reply] = await chat.say("zhaoliu", "工单列表")
    assert reply.splitlines() == [
        "未完成的工单（共 2 张，第 1/1 页）：",
        f"{N1} 打印机无法开机（紧急） · 客户：张三 · 负责人：未派单 · 待派单 · 截止 11-23 10:30",
        f"{N2} 网络很慢（中） · 客户：内部 · 负责人：李四 · 已派单 · 截止 11-23 14:00",
        "发送「工单 0001」看详情。",
    ]
    for said in (
        "所有工单",
        "未完成的工单",
        "全部工单",
        "看下工单列表",
        "待处理的工单",
        "还有哪些工单没处理",
        "工单都有哪些",
        "把待处理的单子拉出来看看",
    ):
        assert await chat.say("zhaoliu", said) == [reply], said


async def test_the_list_by_status_and_by_creator(chat: Chat) -> None:
    await opened(chat)
    await chat.say("lisi", "新建工单 内部 网络很慢")
    await chat.say("zhaoliu", "处理中 0001")
    [reply] = await chat.say("zhaoliu", "处理中的工单")
    assert reply.splitlines()[:2] == [
        "处理中的工单（共 1 张，第 1/1 页）：",
        f"{N1} 打印机无法开机（紧急） · 客户：张三 · 负责人：赵六 · 处理中 · 截止 11-23 10:30",
    ]
    assert await chat.say("zhaoliu", "等待客户的工单") == ["没有等待客户的工单。"]
    assert await chat.say("zhaoliu", "还有几张单子在等客户回复") == ["没有等待客户的工单。"]
    assert await chat.say("zhaoliu", "目前积压的工单") == await chat.say("zhaoliu", "工单列表")
    assert await chat.say("zhaoliu", "工单列表第二页") == ["没有第 2 页：共 1 页。"]
    assert await chat.say("zhaoliu", "所有工单的情况怎么样") == await chat.say(
        "zhaoliu", "工单列表 所有"
    )
    [reply] = await chat.say("lisi", "我创建的工单")
    assert reply.splitlines()[:2] == [
        "你创建的未完成的工单（共 1 张，第 1/1 页）：",
        f"{N2} 网络很慢（中） · 客户：内部 · 负责人：未派单 · 待派单 · 截止 11-23 14:00",
    ]


async def test_the_open_ones_asked_for_in_any_words(chat: Chat) -> None:
    await opened(chat)
    await chat.say("lisi", "新建工单 内部 网络很慢")
    listed = await chat.say("zhaoliu", "工单列表")
    for said in (
        "现在还挂着多少工单",
        "帮我把还没修好的报修单都列一下",
        "售后单有哪些还没弄完？",
        "现在在办的工单都有哪些",
    ):
        assert await chat.say("zhaoliu", said) == listed, said
    mine = await chat.say("lisi", "工单列表 我创建的")
    assert await chat.say("lisi", "我自己提的单都在哪") == mine
    # Pointing at one, moving them or counting is not the list.
    assert await chat.say("zhaoliu", "还没处理的那个工单转给王五") != listed
    [shown] = await chat.say("zhaoliu", "0001目前是啥状态？")
    assert shown == (await chat.say("zhaoliu", "工单 0001"))[0]
    [shown] = await chat.say("zhaoliu", "第1号工单什么进展了")
    assert shown == (await chat.say("zhaoliu", "工单 0001"))[0]


async def test_a_member_asking_for_all_sees_theirs_and_is_told(chat: Chat) -> None:
    await opened(chat)
    await chat.say("lisi", "新建工单 内部 网络很慢")
    [reply] = await chat.say("lisi", "所有工单")
    lines = reply.splitlines()
    assert lines[:2] == [
        "只有管理员和派单员能看全部工单，下面是派给你或你创建的。",
        "派给你或你创建的未完成的工单（共 1 张，第 1/1 页）：",
    ]
    assert N1 not in reply and N2 in reply
    assert await chat.say("wangwu", "工单列表") == ["没有派给你或你创建的未完成的工单。"]


async def test_the_list_pages_ten_at_a_time(chat: Chat) -> None:
    for n in range(12):
        await chat.say("zhaoliu", f"新建工单 内部 问题{n + 1}")
    [first] = await chat.say("zhaoliu", "所有工单")
    assert first.splitlines()[0] == "未完成的工单（共 12 张，第 1/2 页）："
    assert first.splitlines()[-2:] == [
        "发送「工单列表 所有 2」看下一页。",
        "发送「工单 0001」看详情。",
    ]
    [second] = await chat.say("zhaoliu", "所有工单 第2页")
    assert second.splitlines()[0] == "未完成的工单（共 12 张，第 2/2 页）："
    assert len(second.splitlines()) == 1 + 2 + 1
    assert await chat.say("zhaoliu", "工单列表 3") == ["没有第 3 页：共 2 页。"]
    assert await chat.say("zhaoliu", "工单列表 明天") == [
        "看不懂「明天」。请按这个格式写：工单列表、工单列表 处理中、工单列表 等待客户、"
        "工单列表 我创建的、工单列表 2（第几页）"
    ]
