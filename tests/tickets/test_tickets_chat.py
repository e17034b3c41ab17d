"""Work orders in chat as transcripts on a frozen Monday 10:00 in Shanghai: opening, picking
the customer, dispatching, replies and notes, every transition legal and illegal, the detail
and its timeline, numbering across days, and the module's entitlement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer
from support.tickets import ticket_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.tickets.numbers import format_number, parse_ref
from bot.tickets.workflow import TRANSITIONS, Action
from models.tickets import Ticket, TicketComment, TicketEvent, TicketPriority, TicketStatus

N1 = "GD-20261123-0001"
CREATED_URGENT = (
    f"已创建工单 {N1}：打印机无法开机\n客户：张三 · 优先级：紧急 · 类别：硬件\n"
    "首次响应截止 11月23日（周一）10:30，解决截止 11月23日（周一）14:00。\n"
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def opened(chat: Chat, by: str = "zhaoliu", text: str = "张三 打印机无法开机 紧急") -> Ticket:
    if not await Ticket.exists():
        await add_customer("张三")
    await chat.say(by, f"新建工单 {text}")
    return await Ticket.all().order_by("-id").first()  # type: ignore[return-value]


async def dispatched(chat: Chat) -> Ticket:
    await opened(chat)
    await chat.say("zhaoliu", "派单 0001 给 李四")
    return await Ticket.get(seq=1)


async def test_a_dispatcher_opens_a_ticket_for_a_customer(chat: Chat) -> None:
    zhang = await add_customer("张三")
    assert await chat.say("zhaoliu", "新建工单 张三 打印机无法开机 紧急 类别 硬件") == [
        CREATED_URGENT + "派单发送「派单 0001 给 姓名」。"
    ]
    ticket = await Ticket.get(number=N1)
    assert (ticket.customer_id, ticket.priority, ticket.category, ticket.status) == (
        zhang.id,
        TicketPriority.URGENT,
        "硬件",
        TicketStatus.NEW,
    )
    assert ticket.response_due_at == MONDAY_10AM + timedelta(minutes=30)
    assert ticket.resolution_due_at == MONDAY_10AM + timedelta(hours=4)
    [event] = await TicketEvent.filter(ticket_id=ticket.id)
    assert (event.action, event.to_status, event.detail) == ("create", "new", "打印机无法开机")
    assert chat.sent_to("zhangsan") == []  # a dispatcher's own ticket needs no alert


@pytest.mark.parametrize(
    ("said", "title", "priority", "category"),
    [
        ("新建工单 张三 打印有条纹 优先级高 类别 硬件", "打印有条纹", TicketPriority.HIGH, "硬件"),
        ("新建工单 张三 软件激活失败，类别软件，不急", "软件激活失败", TicketPriority.LOW, "软件"),
        ("新建工单 张三 类别：网络 路由器掉线 很急", "路由器掉线", TicketPriority.URGENT, "网络"),
        (
            "新建工单 张三 客户很着急，换了硒鼓还是卡纸",
            "客户很着急，换了硒鼓还是卡纸",
            TicketPriority.NORMAL,
            "",
        ),
    ],
)
async def test_priority_and_category_as_people_write_them(
    chat: Chat, said: str, title: str, priority: TicketPriority, category: str
) -> None:
    await add_customer("张三")
    [reply] = await chat.say("zhaoliu", said)
    assert reply.startswith(f"已创建工单 {N1}：{title}\n"), reply
    ticket = await Ticket.get(number=N1)
    assert (ticket.title, ticket.priority, ticket.category) == (title, priority, category)


async def test_a_member_opens_one_and_the_dispatchers_hear_of_it(chat: Chat) -> None:
    await add_customer("张三")
    [reply] = await chat.say("lisi", "新建工单 张三 网络很慢")
    assert reply.endswith(
        "优先级：中 · 类别：无\n首次响应截止 11月23日（周一）14:00，"
        "解决截止 11月24日（周二）10:00。\n自己处理发送「处理中 0001」。"
    )
    assert chat.sent_to("zhaoliu") == [
        f"【新工单待派单】{N1} 网络很慢（中），客户：张三，创建人：李四。"
    ]


async def test_internal_tickets_and_wrong_input(chat: Chat) -> None:
    usage = (
        "请按这个格式写：新建工单 客户名 问题描述 [紧急/高/中/低] [类别 硬件]，"
        "例如：新建工单 张三 打印机无法开机 紧急。内部工单的客户名写「内部」。"
    )
    assert await chat.say("lisi", "新建工单") == [usage]
    assert await chat.say("lisi", "新建工单 张三") == [usage]
    assert await chat.say("lisi", "新建工单 张三 紧急") == [usage]
    assert await chat.say("lisi", "新建工单 张三 坏了 类别") == [usage]
    assert await chat.say("lisi", "新建工单 王麻子 坏了") == [
        "没有找到客户「王麻子」。请先「新建客户 王麻子」，"
        "或写「新建工单 内部 问题描述」建内部工单。"
    ]
    [reply] = await chat.say("lisi", "新建工单 内部 会议室投影坏了 低")
    assert reply.startswith(f"已创建工单 {N1}：会议室投影坏了\n客户：内部工单 · 优先级：低")
    assert (await Ticket.get(number=N1)).customer_id is None


async def test_several_customers_fit_and_the_next_message_chooses(chat: Chat) -> None:
    await add_customer("张伟", company="华夏科技")
    qiang = await add_customer("张强")
    [question] = await chat.say("lisi", "新建工单 张 打印机卡纸 高")
    assert question.startswith(
        "找到 2 个「张」相关的客户，这张工单是哪一位的？\n1. 张伟（华夏科技）"
    )
    assert question.endswith("请回复序号选择，回复「取消」放弃。")
    assert await chat.say("lisi", "7") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    [reply] = await chat.say("lisi", "2")
    assert reply.startswith(f"已创建工单 {N1}：打印机卡纸\n客户：张强 · 优先级：高")
    assert (await Ticket.get(number=N1)).customer_id == qiang.id
    await chat.say("lisi", "新建工单 张 又卡纸")
    assert await chat.say("lisi", "取消") == ["好的，没有创建这张工单。"]
    assert await Ticket.all().count() == 1


async def test_dispatching_needs_a_dispatcher_and_sends_the_card(chat: Chat) -> None:
    await opened(chat, by="lisi")
    assert await chat.say("lisi", "派单 0001 给 王五") == ["仅管理员和派单员可用"]
    assert await chat.say("zhaoliu", "派单") == [
        "请按这个格式写：派单 0001 给 李四（工单编号，再写同事的姓名或账号）"
    ]
    assert await chat.say("zhaoliu", "派单 0009 给 王五") == [
        "没有找到工单「0009」。发送「我的工单」看你的工单，"
        "或写完整编号，例如：工单 GD-20261123-0001"
    ]
    assert await chat.say("zhaoliu", "派单 0001 给 钱七") == [
        "没找到同事「钱七」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    ]
    assert await chat.say("zhaoliu", "派单 0001 给 王五") == [
        f"已把工单 {N1} 派给 王五，等待对方接单。"
    ]
    assert chat.sent_to("wangwu") == [f"【新工单 {N1}】\n紧急 · 打印机无法开机\n[接单] [转派]"]
    assert chat.sent_to("lisi") == [f"你创建的工单 {N1}「打印机无法开机」已派给 王五。"]
    ticket = await Ticket.get(number=N1)
    assert ticket.status == TicketStatus.ASSIGNED
    assert (await TicketEvent.get(ticket_id=ticket.id, action="assign")).detail == "派给 王五"
    assert await chat.say("zhangsan", "派单 1 给 lisi") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]


async def test_replies_notes_and_the_first_response(chat: Chat) -> None:
    await dispatched(chat)
    assert await chat.say("lisi", "回复 0001") == [
        "请按这个格式写：回复 0001 已远程处理（客户可见）"
    ]
    # The customer never wrote in 微信客服, so the employee passes it on.
    assert await chat.say("lisi", "回复 0001 已远程处理") == [
        f"已回复工单 {N1}（客户可见）：已远程处理\n首次响应用时 0分钟，在时限内。\n"
        "客户最近 48 小时没有在微信客服联系过，消息发不过去：请通过企业微信转告客户。"
    ]
    assert chat.sent_to("zhaoliu") == [f"工单 {N1}「打印机无法开机」有新回复：已远程处理（李四）"]
    [again] = await chat.say("lisi", "回复 0001 再试一次")
    assert again.startswith(f"已回复工单 {N1}（客户可见）：再试一次\n客户最近 48 小时")
    assert await chat.say("lisi", "备注 0001 备件明天到") == [f"已给工单 {N1} 添加内部备注。"]
    comments = await TicketComment.all().order_by("id").values_list("text", "internal")
    assert comments == [("已远程处理", False), ("再试一次", False), ("备件明天到", True)]
    ticket = await Ticket.get(number=N1)
    assert (ticket.first_responded_at, ticket.response_seconds, ticket.response_met) == (
        MONDAY_10AM,
        0,
        True,
    )


async def test_only_the_people_of_a_ticket_work_it(chat: Chat) -> None:
    await dispatched(chat)
    refusal = [f"工单 {N1} 由 李四 负责，只有负责人、创建人、派单员或管理员可以处理。"]
    assert await chat.say("wangwu", "处理中 0001") == refusal
    assert await chat.say("wangwu", "回复 0001 我来看看") == refusal
    assert await chat.say("zhangsan", "处理中 0001") == [f"工单 {N1} 已标记为处理中。"]


async def test_the_whole_life_of_a_ticket(chat: Chat, clock: FrozenClock) -> None:
    await dispatched(chat)
    clock.advance(timedelta(minutes=10))
    assert await chat.say("lisi", "处理中 0001") == [f"工单 {N1} 已标记为处理中。"]
    assert chat.sent_to("zhaoliu") == [f"工单 {N1}「打印机无法开机」已开始处理（李四）"]
    assert await chat.say("lisi", "等待客户 0001") == [
        f"工单 {N1} 已标记为等待客户，解决时限暂停计时。"
    ]
    clock.advance(timedelta(hours=1))
    assert await chat.say("lisi", "处理中 0001") == [f"工单 {N1} 已标记为处理中。"]
    ticket = await Ticket.get(number=N1)
    assert ticket.resolution_due_at == MONDAY_10AM + timedelta(hours=5)  # moved by the pause
    assert ticket.paused_seconds == 3600
    clock.advance(timedelta(minutes=20))
    assert await chat.say("lisi", "解决 0001") == [
        "请按这个格式写：解决 0001 更换电源（写上解决办法）"
    ]
    assert await chat.say("lisi", "解决 0001 更换电源") == [
        f"工单 {N1} 已解决：更换电源\n解决用时 30分钟，在时限内。"
    ]
    ticket = await Ticket.get(number=N1)
    assert (ticket.status, ticket.resolution_seconds, ticket.resolution_met) == (
        TicketStatus.RESOLVED,
        1800,
        True,
    )
    assert ticket.first_responded_at is not None  # the solution was the first reply
    assert await chat.say("zhaoliu", "重开 0001 问题复现") == [
        f"工单 {N1} 已重开（处理中），新的解决截止 11月23日（周一）15:30。"
    ]
    assert chat.sent_to("lisi") == [f"工单 {N1}「打印机无法开机」已重开：问题复现（赵六）"]
    await chat.say("lisi", "解决 0001 更换主板")
    assert await chat.say("lisi", "关闭 0001") == [f"工单 {N1} 已关闭。"]
    assert await chat.say("lisi", "重开 0001 又坏了") == [
        f"工单 {N1} 已重开（处理中），新的解决截止 11月23日（周一）15:30。"
    ]
    actions = (
        await TicketEvent.all().order_by("id").values_list("action", "from_status", "to_status")
    )
    assert actions == [
        ("create", "", "new"),
        ("assign", "new", "assigned"),
        ("start", "assigned", "in_progress"),
        ("wait", "in_progress", "pending_customer"),
        ("start", "pending_customer", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("reopen", "resolved", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("close", "resolved", "closed"),
        ("reopen", "closed", "in_progress"),
    ]


async def test_other_legal_moves(chat: Chat) -> None:
    await opened(chat, by="lisi")
    assert await chat.say("wangwu", "处理中 0001") == [f"工单 {N1} 已标记为处理中。"]
    assert (await Ticket.get(number=N1)).assignee_id is not None  # the speaker took it
    await opened(chat, by="lisi", text="内部 换灯泡")
    assert await chat.say("lisi", "关闭 0002") == ["工单 GD-20261123-0002 已关闭。"]
    assert await chat.say("lisi", "重开 0002 没换好") == [
        "工单 GD-20261123-0002 已重开（待派单），新的解决截止 11月24日（周二）10:00。"
    ]
    await opened(chat, by="lisi", text="内部 换电池")
    [reply] = await chat.say("lisi", "解决 0003 换好了")
    assert reply.startswith("工单 GD-20261123-0003 已解决：换好了")
    await chat.say("zhaoliu", "派单 0003 给 王五")  # resolved: 派单 is not possible
    assert (await Ticket.get(seq=3)).status == TicketStatus.RESOLVED


LEGAL_COMMANDS = {
    Action.ASSIGN: "派单 0001 给 王五",
    Action.START: "处理中 0001",
    Action.WAIT: "等待客户 0001",
    Action.RESOLVE: "解决 0001 更换电源",
    Action.CLOSE: "关闭 0001",
    Action.REOPEN: "重开 0001 问题复现",
}
LEGAL = [
    (status, action, to_status)
    for status, moves in TRANSITIONS.items()
    for action, to_status in moves.items()
    if action is not Action.ACCEPT  # a button: see test_tickets_cards
]


@pytest.mark.parametrize(("status", "action", "to_status"), LEGAL)
async def test_every_legal_move_in_chat(
    chat: Chat, status: TicketStatus, action: Action, to_status: TicketStatus
) -> None:
    ticket = await dispatched(chat)
    await Ticket.filter(id=ticket.id).update(status=status)
    [reply] = await chat.say("zhaoliu", LEGAL_COMMANDS[action])
    assert not reply.startswith(f"工单 {N1} 当前状态"), reply
    assert (await Ticket.get(id=ticket.id)).status == to_status
    last = await TicketEvent.filter(ticket_id=ticket.id).order_by("-id").first()
    assert last is not None
    assert (last.action, last.from_status, last.to_status) == (
        action.value,
        status.value,
        to_status.value,
    )


ILLEGAL = [
    (TicketStatus.NEW, "等待客户 0001", "待派单", "派单、处理中、解决、关闭"),
    (TicketStatus.NEW, "重开 0001 再看看", "待派单", "派单、处理中、解决、关闭"),
    (TicketStatus.ASSIGNED, "重开 0001 再看看", "已派单", "派单、处理中、等待客户、解决、关闭"),
    (TicketStatus.IN_PROGRESS, "处理中 0001", "处理中", "派单、等待客户、解决、关闭"),
    (TicketStatus.IN_PROGRESS, "重开 0001 再看看", "处理中", "派单、等待客户、解决、关闭"),
    (TicketStatus.PENDING_CUSTOMER, "等待客户 0001", "等待客户", "派单、处理中、解决、关闭"),
    (TicketStatus.RESOLVED, "解决 0001 又好了", "已解决", "关闭、重开"),
    (TicketStatus.RESOLVED, "处理中 0001", "已解决", "关闭、重开"),
    (TicketStatus.RESOLVED, "等待客户 0001", "已解决", "关闭、重开"),
    (TicketStatus.RESOLVED, "派单 0001 给 王五", "已解决", "关闭、重开"),
    (TicketStatus.CLOSED, "关闭 0001", "已关闭", "重开"),
    (TicketStatus.CLOSED, "解决 0001 好了", "已关闭", "重开"),
    (TicketStatus.CLOSED, "处理中 0001", "已关闭", "重开"),
]


@pytest.mark.parametrize(("status", "command", "status_word", "possible"), ILLEGAL)
async def test_illegal_moves_say_what_is_possible(
    chat: Chat, status: TicketStatus, command: str, status_word: str, possible: str
) -> None:
    ticket = await dispatched(chat)
    await Ticket.filter(id=ticket.id).update(status=status)
    history = await TicketEvent.filter(ticket_id=ticket.id).count()
    assert await chat.say("zhaoliu", command) == [
        f"工单 {N1} 当前状态：{status_word}，可以：{possible}"
    ]
    assert (await Ticket.get(id=ticket.id)).status == status
    assert await TicketEvent.filter(ticket_id=ticket.id).count() == history


async def test_comments_on_a_finished_ticket_are_refused(chat: Chat) -> None:
    await dispatched(chat)
    await chat.say("lisi", "解决 0001 好了")
    assert await chat.say("lisi", "备注 0001 补充") == [
        f"工单 {N1} 已解决，如需继续处理请先「重开 0001 原因」。"
    ]


async def test_the_detail_shows_the_timeline(chat: Chat, clock: FrozenClock) -> None:
    await dispatched(chat)
    clock.advance(timedelta(minutes=40))
    await chat.say("lisi", "回复 0001 已远程处理")
    assert await chat.say("lisi", "工单") == [
        "请写工单编号，例如：工单 0001 或 工单 GD-20261123-0001"
    ]
    assert await chat.say("lisi", "工单 0001") == [
        f"工单 {N1} · 已派单\n标题：打印机无法开机\n客户：张三 · 优先级：紧急 · 类别：无\n"
        "负责人：李四 · 创建人：赵六 · 创建于 11-23 10:00\n"
        "首次响应：11-23 10:40（时限 11-23 10:30，超时）\n解决：截止 11-23 14:00\n"
        "—— 记录 ——\n11-23 10:00 赵六 创建工单：打印机无法开机\n"
        "11-23 10:00 赵六 派单：派给 李四\n11-23 10:40 李四 回复客户：已远程处理"
    ]


async def test_numbers_restart_every_day_and_tails_find_the_latest(
    chat: Chat, clock: FrozenClock
) -> None:
    await add_customer("张三")
    await chat.say("lisi", "新建工单 张三 一号")
    await chat.say("lisi", "新建工单 张三 二号")
    clock.set(MONDAY_10AM.replace(hour=16, minute=30))  # 00:30 on Tuesday in Shanghai
    [reply] = await chat.say("lisi", "新建工单 张三 三号")
    assert reply.startswith("已创建工单 GD-20261124-0001：三号")
    [today] = await chat.say("lisi", "工单 0001")
    assert today.startswith("工单 GD-20261124-0001 · 待派单\n标题：三号")
    [latest] = await chat.say("lisi", "工单 2")
    assert latest.startswith("工单 GD-20261123-0002 · 待派单\n标题：二号")
    [full] = await chat.say("lisi", "工单 gd-20261123-0001")
    assert full.startswith("工单 GD-20261123-0001 · 待派单\n标题：一号")
    assert await chat.say("lisi", "工单 GD-20261125-0001") == [
        "没有找到工单「GD-20261125-0001」。发送「我的工单」看你的工单，或写完整编号，"
        "例如：工单 GD-20261123-0001"
    ]


def test_numbers_read_and_parse() -> None:
    from datetime import date

    assert format_number(date(2026, 11, 23), 1) == "GD-20261123-0001"
    assert format_number(date(2026, 11, 23), 12345) == "GD-20261123-12345"
    assert parse_ref("0001") == (None, 1)
    assert parse_ref("GD-20261123-0042") == (date(2026, 11, 23), 42)
    assert parse_ref("gd202611230042") == (date(2026, 11, 23), 42)
    assert parse_ref("0000") is None
    assert parse_ref("GD-20261340-0001") is None
    assert parse_ref("abc") is None


async def test_the_module_is_refused_without_tickets_in_the_plan(
    settings: Settings, clock: FrozenClock
) -> None:
    async with ticket_chat(settings, clock, plan=None) as trial:
        [refusal] = await trial.say("lisi", "新建工单 内部 打印机坏了")
        assert refusal.startswith(
            "「售后工单」未开通：报修与售后工单：派单、处理进度、超时升级与完工回访。"
        )
        assert refusal.endswith("请联系管理员开通，我已通知管理员。")
        [notice] = trial.sent_to("zhangsan")
        assert notice.startswith("【升级提醒】李四（lisi） 想使用「售后工单」")
        assert await trial.say("zhaoliu", "我的工单") == [refusal]
        assert not await Ticket.exists()


async def send_media(chat: Chat, user: str, msg_type: str, media_id: str) -> list[str]:
    since = await chat.sim.sent_count()
    fields = {"MsgType": msg_type, "FromUserName": user, "MediaId": media_id, "PicUrl": "http://p"}
    assert (await chat.sim.deliver(chat.tenant, fields))["status"] == 200
    await chat.settle(since)
    return chat.sent_to(user)


async def test_attachments_are_kept_as_media_ids(chat: Chat) -> None:
    await dispatched(chat)
    assert await chat.say("lisi", "附件") == ["请按这个格式写：附件 0001，然后发送图片或文件"]
    assert await chat.say("lisi", "附件 0001") == [
        f"请发送工单 {N1} 的图片或文件（最多 9 个），发完回复「完成」，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "完成") == [
        "还没有收到附件。请发送图片或文件，或回复「取消」放弃。"
    ]
    assert await send_media(chat, "lisi", "image", "media-1") == [
        "收到第 1 个附件（图片）。继续发送，发完回复「完成」。"
    ]
    assert await send_media(chat, "lisi", "file", "media-2") == [
        "收到第 2 个附件（文件）。继续发送，发完回复「完成」。"
    ]
    assert await chat.say("lisi", "完成") == [f"已给工单 {N1} 添加 2 个附件。"]
    comment = await TicketComment.get(internal=True)
    assert (comment.text, comment.attachments) == ("2 个（图片、文件）", ["media-1", "media-2"])
    [detail] = await chat.say("lisi", "工单 0001")
    assert detail.endswith("李四 添加附件：2 个（图片、文件）")
    await chat.say("lisi", "附件 0001")
    assert await chat.say("lisi", "取消") == ["好的，没有添加附件。"]
    assert await send_media(chat, "lisi", "image", "media-3") == [
        "我目前只看得懂文字消息。发送「帮助」查看我能做什么。"
    ]


async def test_a_number_taken_meanwhile_is_skipped(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.tickets import store

    await opened(chat)
    real = store.next_seq
    stale = iter([1])  # as if another replica had read the same "next" a moment ago

    async def racing(tenant_id: int, day: Any) -> int:
        return next(stale, None) or await real(tenant_id, day)

    monkeypatch.setattr(store, "next_seq", racing)
    [reply] = await chat.say("lisi", "新建工单 内部 换灯泡")
    assert reply.startswith("已创建工单 GD-20261123-0002：换灯泡")
    assert await Ticket.all().count() == 2
