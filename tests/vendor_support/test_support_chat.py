"""Support requests as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai: a
client's member asks the provider, the operator answers and closes from chat, the member
adds to it and reads the state; the work order at the desk when the desk has tickets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.followups import MONDAY_10AM
from support.vendor_support import OPERATOR, WITHOUT_TICKETS, Both, support_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.tickets import Ticket, TicketComment
from models.vendor_support import MessageAuthor, RequestStatus, SupportMessage, SupportRequest

OPENED_1 = (
    "已提交客服请求 KF0001，服务商会在 11月23日（周一）14:00 前回复你。"
    "补充说明发送「补充 KF0001 内容」，看进度发送「我的客服请求」。"
)


@pytest.fixture
async def both(settings: Settings, clock: FrozenClock) -> AsyncIterator[Both]:
    async with support_chat(settings, clock) as opened:
        yield opened


async def test_a_member_asks_and_the_operators_hear_of_it_with_a_work_order(both: Both) -> None:
    assert await both.client_says("lisi", "联系客服 打印工单的模板怎么改") == [OPENED_1]
    [notice] = both.desk_got()
    assert notice.startswith("【客服请求 KF0001】艾克米科技 · 李四：打印工单的模板怎么改\n")
    assert "首次响应截止 11月23日（周一）14:00。已建工单 GD-20261123-0001。" in notice
    assert "「回复 KF0001 内容」" in notice
    request = await SupportRequest.get()
    assert (request.tenant_id, request.requester_userid, request.status) == (
        1,
        "lisi",
        RequestStatus.OPEN,
    )
    ticket = await Ticket.get()
    assert ticket.tenant_id == 2 and ticket.id == request.ticket_id
    assert ticket.title == "KF0001 艾克米科技：打印工单的模板怎么改"
    assert ticket.category == "客服请求"


async def test_without_the_tickets_module_the_request_row_is_all(
    settings: Settings, clock: FrozenClock
) -> None:
    async with support_chat(settings, clock, desk_plan=WITHOUT_TICKETS) as chat:
        assert await chat.client_says("zhangsan", "联系客服 怎么导出客户") == [OPENED_1]
        [notice] = chat.desk_got()
        assert "已建工单" not in notice
        assert await Ticket.all().count() == 0
        assert (await SupportRequest.get()).ticket_id is None


@pytest.mark.parametrize(
    ("said", "text"),
    [
        ("这个系统怎么导出客户，找下技术支持", "这个系统怎么导出客户"),
        ("反馈问题：日报里的销售额不对", "日报里的销售额不对"),
        ("找一下你们的客服，续费发票怎么开", "续费发票怎么开"),
        ("怎么批量导入客户？问问你们客服", "怎么批量导入客户"),
        ("联系技术支持 同步通讯录一直失败", "同步通讯录一直失败"),
    ],
)
async def test_natural_ways_to_ask(both: Both, said: str, text: str) -> None:
    assert await both.client_says("lisi", said) == [OPENED_1]
    assert (await SupportRequest.get()).text == text


async def test_asking_without_a_question_says_what_to_write(both: Both) -> None:
    assert await both.client_says("lisi", "我要找你们客服") == [
        "请写上要问的问题，例如：联系客服 打印工单的模板怎么改"
    ]
    assert await SupportRequest.all().count() == 0


async def test_the_operator_replies_and_the_member_reads_it_in_their_app(both: Both) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    assert await both.desk_says(OPERATOR, "回复 KF0001 模板在 设置-打印 里改") == [
        "已回复 KF0001（艾克米科技 · 李四）。"
    ]
    assert both.client_got("lisi") == [
        "【客服回复 KF0001】模板在 设置-打印 里改\n还有问题发送「补充 KF0001 内容」。"
    ]
    request = await SupportRequest.get()
    assert request.status is RequestStatus.ANSWERED
    assert request.first_responded_at == MONDAY_10AM
    assert await both.client_says("lisi", "我的客服请求") == [
        "你的客服请求：\n"
        "KF0001 已回复 11月23日（周一）10:00：打印工单的模板怎么改\n"
        "    最新回复（11月23日（周一）10:00）：模板在 设置-打印 里改"
    ]


async def test_a_reply_on_the_desks_work_order_reaches_the_member_too(both: Both) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    [replied] = await both.desk_says(OPERATOR, "回复 0001 模板在 设置-打印 里改")
    assert replied.startswith("已回复工单 GD-20261123-0001")
    assert both.client_got("lisi") == [
        "【客服回复 KF0001】模板在 设置-打印 里改\n还有问题发送「补充 KF0001 内容」。"
    ]
    request = await SupportRequest.get()
    assert (request.status, request.first_responded_at) == (RequestStatus.ANSWERED, MONDAY_10AM)
    assert request.last_reply == "模板在 设置-打印 里改"
    # A note stays inside the desk; once the request is closed, replies stop reaching the member.
    await both.desk_says(OPERATOR, "备注 0001 已经查过配置")
    await both.desk_says(OPERATOR, "关闭 KF0001")
    both.client_got("lisi")
    [reopened] = await both.desk_says(OPERATOR, "重开 0001 还要补一句")
    assert "重开" in reopened or "重新打开" in reopened, reopened
    [again] = await both.desk_says(OPERATOR, "回复 0001 补充一句")
    assert again.startswith("已回复工单 GD-20261123-0001"), again
    assert not [m for m in both.client_got("lisi") if "补充一句" in m]


@pytest.mark.parametrize(
    "said",
    [
        "客服回复 KF0001 已经修好了",
        "回客户 KF1 已经修好了",
        "KF1回复：已经修好了",
        "给kf0001回复 已经修好了",
        "告诉KF1的客户说 已经修好了",
    ],
)
async def test_natural_replies(both: Both, said: str) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    assert await both.desk_says(OPERATOR, said) == ["已回复 KF0001（艾克米科技 · 李四）。"]
    assert both.client_got("lisi")[0].startswith("【客服回复 KF0001】已经修好了")


async def test_the_follow_up_reaches_the_operators(both: Both) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    assert await both.client_says("lisi", "KF1补充一下：用的是针式打印机") == [
        "已补充到客服请求 KF0001，已转告服务商的客服。"
    ]
    assert both.desk_got() == ["【客服请求 KF0001 补充】艾克米科技 · 李四：用的是针式打印机"]
    note = await TicketComment.get()
    assert (note.text, note.internal) == ("提问人补充：用的是针式打印机", True)
    said = [m.author for m in await SupportMessage.all().order_by("id")]
    assert said == [MessageAuthor.REQUESTER, MessageAuthor.REQUESTER]
    assert await both.client_says("wangwu", "补充 KF0001 我也遇到了") == [
        "没有找到你提交的客服请求「KF0001」，发送「我的客服请求」查看。"
    ]


@pytest.mark.parametrize("said", ["关闭 KF0001", "关闭客服请求 KF1", "关掉kf1", "KF1已经解决了"])
async def test_closing_tells_the_member(both: Both, said: str) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    assert await both.desk_says(OPERATOR, said) == ["已关闭客服请求 KF0001，已通知 李四。"]
    assert both.client_got("lisi") == [
        "【客服请求 KF0001】已处理完毕并关闭。还有问题可以再发送「联系客服 问题」。"
    ]
    assert await both.desk_says(OPERATOR, "关闭 KF0001") == ["客服请求 KF0001 已经关闭了。"]
    assert await both.client_says("lisi", "补充 KF0001 还是不行") == [
        "客服请求 KF0001 已经关闭了。"
    ]


async def test_operators_list_the_open_requests(both: Both) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    await both.client_says("zhangsan", "联系客服 怎么加席位")
    await both.desk_says(OPERATOR, "回复 KF0002 发送「加席位 2」")
    expected = [
        "待处理的客服请求（2 条）：\n"
        "KF0001 艾克米科技 · 李四 待回复，11月23日（周一）14:00前：打印工单的模板怎么改\n"
        "KF0002 艾克米科技 · 张三丰 已回复：怎么加席位"
    ]
    assert await both.desk_says(OPERATOR, "客服请求") == expected
    assert await both.desk_says(OPERATOR, "还有哪些客服请求没回复？") == expected


async def test_only_operators_answer_and_the_desk_does_not_ask_itself(both: Both) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    only = ["只有服务商的客服人员可以处理客服请求。"]
    assert await both.client_says("zhangsan", "回复 KF0001 我来回答") == only
    assert await both.client_says("zhangsan", "客服请求") == only
    assert await both.desk_says(OPERATOR, "联系客服 测试一下") == [
        "你们就是服务商的客服，不需要给自己提交客服请求。"
    ]


async def test_bad_input_gets_what_to_type(both: Both) -> None:
    assert await both.desk_says(OPERATOR, "回复 KF0009 好的") == [
        "没有找到客服请求「KF0009」，发送「客服请求」查看待处理的请求。"
    ]
    assert await both.desk_says(OPERATOR, "客服回复 KF0001") == [
        "请按这个格式写：回复 KF0003 回复内容"
    ]
    assert await both.desk_says(OPERATOR, "关闭客服请求") == ["请写上请求编号，例如：关闭 KF0003"]
    assert await both.client_says("lisi", "联系客服 " + "长" * 1001) == [
        "问题太长了（最多 1000 字），请精简后再发。"
    ]
    assert await both.client_says("lisi", "我的客服请求") == [
        "你还没有提交过客服请求。有问题发送「联系客服 问题」。"
    ]
