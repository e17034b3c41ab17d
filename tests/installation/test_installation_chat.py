"""Installation jobs in chat as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai:
booking in the canonical and natural forms, from an order, dispatch without double bookings,
rescheduling, the stage guards, check-in by location and the lists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, JobState

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
N2 = "AZ-20261123-0002"
BOOK = "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await add_customer("月亮文具")
        yield opened


async def test_a_natural_sentence_books_a_job(chat: Chat) -> None:
    [reply] = await chat.say("lisi", BOOK)
    assert reply == (
        f"安装单 {N1}（待排期）\n"
        "客户：星辰科技\n"
        "时间：11月26日（周四）14:00-16:00\n"
        "安装师傅：未派工\n"
        "安装内容：打印机2台\n"
        "地址：朝阳区xx路\n"
        "可以：安排、改约、取消安装\n"
        "已约安装。派工发送「安排 AZ0001 给 师傅名字」。"
    )
    job = await InstallJob.get(number=N1)
    assert (job.state, job.items, job.address) == (JobState.PENDING, "打印机2台", "朝阳区xx路")
    assert job.window_start == datetime(2026, 11, 26, 14, tzinfo=SH)
    assert job.window_end == datetime(2026, 11, 26, 16, tzinfo=SH)


async def test_a_booking_without_a_time_says_what_to_type_and_stores_nothing(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "约安装 星辰科技 打印机2台")
    assert reply.startswith("请写上安装时间")
    assert await InstallJob.all().count() == 0
    [reply] = await chat.say("lisi", "约安装 蓝天科技 周四 打印机2台")
    assert reply == "没有找到客户「蓝天科技」。请先「新建客户 蓝天科技」，再约安装。"


async def test_show_and_lists(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    [shown] = await chat.say("lisi", "AZ0001")
    assert shown.startswith(f"安装单 {N1}（待排期）")
    [same] = await chat.say("lisi", "安装单 0001")
    assert same == shown
    [pending] = await chat.say("lisi", "待排期")
    assert pending == (
        "待排期 1 个（派工发送「安排 AZ0001 给 师傅名字」）：\n"
        f"{N1} 11月26日（周四）14:00-16:00 星辰科技 打印机2台 · 未派工 · 待排期"
    )
    [mine] = await chat.say("lisi", "我的安装")
    assert mine.startswith("你的安装单（1 个）：")
    assert await chat.say("lisi", "今天的安装") == ["今天没有安装。"]
    assert await chat.say("lisi", "今日安装") == ["今天没有安装。"]


async def test_dispatch_sends_the_installer_a_card_and_refuses_a_double_booking(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("lisi", "约安装 月亮文具 周四下午3点 投影仪1台 地址海淀区")
    replies = await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    assert replies == [
        f"已把安装单 {N1} 安排给 王师傅（11月26日（周四）14:00-16:00），已通知师傅接单。"
    ]
    [card] = [r["body"] for r in chat.last if r["body"].get("touser") == "wangsf"]
    assert card["template_card"]["main_title"]["title"] == f"安装单 {N1}"
    keys = [b["key"] for b in card["template_card"]["button_list"]]
    job = await InstallJob.get(number=N1)
    assert keys == [f"install:accept:{job.id}", f"install:move:{job.id}"]
    assert (job.state, job.version) == (JobState.DISPATCHED, 1)
    [refused] = await chat.say("zhaoliu", "把AZ0002派给王师傅")
    assert refused == (
        f"王师傅 在 11月26日（周四）14:00-16:00 已有安装单 {N1}，和这次时间冲突"
        "（两单之间要留路上 30 分钟）。请换一位师傅，或「改约 AZ0002 其他时间」。"
    )
    second = await InstallJob.get(number=N2)
    assert (second.state, second.installer_id) == (JobState.PENDING, None)
    assert await chat.say("zhaoliu", "让刘师傅去装AZ0002") == [
        f"已把安装单 {N2} 安排给 刘师傅（11月26日（周四）15:00-17:00），已通知师傅接单。"
    ]


async def test_the_travel_buffer_counts_and_a_job_after_it_fits(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("lisi", "约安装 月亮文具 周四下午4点15 投影仪1台")
    await chat.say("lisi", "约安装 月亮文具 周四下午4点30 投影仪1台")
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    [refused] = await chat.say("zhaoliu", "安排 AZ0002 给 王师傅")
    assert "时间冲突" in refused
    [fits] = await chat.say("zhaoliu", "安排 AZ0003 给 王师傅")
    assert fits.startswith("已把安装单 AZ-20261123-0003 安排给 王师傅")


async def test_reschedule_checks_again_and_tells_the_installer_once(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("lisi", "约安装 月亮文具 周五上午 投影仪1台")
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    await chat.say("zhaoliu", "安排 AZ0002 给 王师傅")
    [refused] = await chat.say("zhaoliu", "改约 AZ0001 周五上午10点")
    assert "时间冲突" in refused
    assert (await InstallJob.get(number=N1)).window_start == datetime(2026, 11, 26, 14, tzinfo=SH)
    replies = await chat.say("zhaoliu", "把AZ0001改到周五下午3点")
    assert replies == [f"安装单 {N1} 已改约到 11月27日（周五）15:00-17:00。已通知 王师傅。"]
    told = [r for r in chat.last if r["body"].get("touser") == "wangsf"]
    assert len(told) == 1
    assert told[0]["body"]["template_card"]["main_title"]["desc"] == (
        "安装改约：11月27日（周五）15:00-17:00"
    )
    assert (await InstallJob.get(number=N1)).version == 2


async def test_every_illegal_move_names_the_state_and_what_is_possible(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    assert await chat.say("lisi", "完工 AZ0001 装好了") == [
        f"安装单 {N1} 当前状态：待排期，可以：安排、改约、取消安装"
    ]
    assert await chat.say("lisi", "确认安装 AZ0001") == [
        f"安装单 {N1} 当前状态：待排期，可以：安排、改约、取消安装"
    ]
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    assert await chat.say("wangsf", "完工 AZ0001 装好了") == [
        f"安装单 {N1} 当前状态：已派工，可以：安排、改约、签到、取消安装"
    ]
    await chat.say("lisi", "取消安装 AZ0001 客户不装了")
    for text in (
        "安排 AZ0001 给 刘师傅",
        "改约 AZ0001 周五",
        "完工 AZ0001 好了",
        "取消安装 AZ0001",
    ):
        assert await chat.say("lisi", text) == [f"安装单 {N1} 当前状态：已取消，可以：无（已结束）"]


async def test_a_cancelled_job_tells_its_installer(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    assert await chat.say("lisi", "AZ0001取消 客户改期再说") == [f"已取消安装单 {N1}。"]
    assert chat.sent_to("wangsf") == [
        f"安装单 {N1}（11月26日（周四）14:00-16:00）已取消：客户改期再说"
    ]


async def test_check_in_by_location_then_completion_needs_photos(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    await InstallJob.filter(number=N1).update(latitude=39.9, longitude=116.4)
    clock.set(datetime(2026, 11, 26, 13, 55, tzinfo=SH))
    location = {
        "MsgType": "location",
        "FromUserName": "wangsf",
        "Location_X": "39.901",
        "Location_Y": "116.4",
        "Scale": "15",
        "Label": "朝阳区xx路",
    }
    since = await chat.sim.sent_count()
    await chat.sim.deliver("acme", location)
    await chat.settle(since)
    assert chat.sent_to("wangsf") == [
        f"已签到：安装单 {N1}（朝阳区xx路），距安装地址约 111 米。请发送现场照片（至少 2 张），"
        "完工后发送「完工 AZ0001 说明」。"
    ]
    job = await InstallJob.get(number=N1)
    assert (job.state, job.started_at, job.checkin_distance_m) == (
        JobState.STARTED,
        datetime(2026, 11, 26, 13, 55, tzinfo=SH),
        111,
    )
    assert await chat.say("wangsf", "完工 AZ0001 已装好测试正常") == [
        f"安装单 {N1} 需要至少 2 张现场照片才能完工，已收到 0 张。请先发送照片。"
    ]
    assert (await InstallJob.get(number=N1)).state is JobState.STARTED
    assert await chat.say("lisi", "完工 AZ0001") == [
        f"安装单 {N1} 由 王师傅 负责，只有安装师傅或管理员可以完工。"
    ]


async def test_a_job_from_an_order_takes_its_lines(chat: Chat) -> None:
    await chat.say("lisi", "下单 星辰科技 打印机 2台 单价1999")
    await chat.say("lisi", "确认")
    [reply] = await chat.say("lisi", "订单0001安排安装 周四下午2点")
    assert reply.startswith(
        f"安装单 {N1}（待排期）\n客户：星辰科技\n时间：11月26日（周四）14:00-16:00"
    )
    assert "安装内容：打印机2台" in reply
    job = await InstallJob.get(number=N1)
    assert job.order_id is not None
    [no_time] = await chat.say("lisi", "订单安装 0001")
    assert no_time.endswith(
        "还没有时间：发送「改约 AZ0002 周四下午2点」约时间，再「安排 AZ0002 给 师傅名字」。"
    )
    [refused] = await chat.say("lisi", "安排 AZ0002 给 王师傅")
    assert refused == "安装单 AZ-20261123-0002 还没有安装时间，请先「改约 AZ0002 时间」。"


async def test_the_day_plan_shows_each_installer(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("lisi", "约安装 月亮文具 周四上午9点 投影仪1台")
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    await chat.say("zhaoliu", "安排 AZ0002 给 刘师傅")
    [plan] = await chat.say("zhaoliu", "排期 周四")
    assert plan == (
        "11月26日的安装排期：\n"
        "刘师傅（1 单）：\n"
        "  09:00-11:00 AZ-20261123-0002 月亮文具\n"
        "王师傅（1 单）：\n"
        "  14:00-16:00 AZ-20261123-0001 星辰科技 朝阳区xx路"
    )
    assert await chat.say("zhaoliu", "排期 周五") == ["11月27日没有安排安装。"]


async def test_the_module_is_needed(settings: Settings, clock: FrozenClock) -> None:
    async with install_chat(settings, clock, plan=None) as chat:
        await add_customer("星辰科技")
        [reply] = await chat.say("lisi", "约安装 星辰科技 周四下午2点 打印机2台")
        assert "安装" in reply
        assert await InstallJob.all().count() == 0


async def test_admins_set_the_window_the_travel_time_and_the_photos(chat: Chat) -> None:
    [shown] = await chat.say("zhangsan", "安装设置")
    assert shown.startswith(
        "安装设置：预约时长 120 分钟（只写开始时间时）；两单之间留路上 30 分钟；"
    )
    [saved] = await chat.say("zhangsan", "把安装路上时间改成45分钟")
    assert saved.startswith(
        "已保存。安装设置：预约时长 120 分钟（只写开始时间时）；两单之间留路上 45 分钟"
    )
    await chat.say("zhangsan", "安装设置 时长 60分钟")
    assert await chat.say("zhangsan", "安装设置 照片 99张") == [
        "照片请写 0 到 20张，例如：安装设置 照片 3张"
    ]
    await chat.say("lisi", BOOK)
    await chat.say("lisi", "约安装 月亮文具 周四下午3点40 投影仪1台")
    job = await InstallJob.get(number=N1)
    assert job.window_end == datetime(2026, 11, 26, 15, tzinfo=SH)
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    [refused] = await chat.say("zhaoliu", "安排 AZ0002 给 王师傅")
    assert "（两单之间要留路上 45 分钟）" in refused
    [member] = await chat.say("lisi", "安装设置 照片 1张")
    assert "管理员" in member


async def click(chat: Chat, user: str, task_id: str, key: str) -> list[str]:
    since = await chat.sim.sent_count()
    await chat.sim.click_card(chat.tenant, user, task_id, key)
    await chat.settle(since)
    return chat.sent_to(user)


async def test_the_installer_takes_the_job_from_the_card(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    [card] = [r["body"]["template_card"] for r in chat.last if r["body"].get("touser") == "wangsf"]
    accept, move = (b["key"] for b in card["button_list"])
    assert await click(chat, "wangsf", card["task_id"], move) == [
        "请发送「改约 AZ0001 新时间」，例如：改约 AZ0001 周五上午。"
    ]
    assert await click(chat, "wangsf", card["task_id"], accept) == [
        f"已接单：安装单 {N1}。到场后发送位置签到，完工前发送现场照片。"
    ]
    assert (await InstallJob.get(number=N1)).accepted_at == MONDAY_10AM


async def test_only_the_booker_admins_and_dispatchers_plan_someone_elses_job(chat: Chat) -> None:
    await chat.say("lisi", BOOK)
    refusal = (
        f"安装单 {N1} 是 李四 约的，{{what}}只能由约单的人、管理员或派单员来做。"
        "需要的话请管理员发送「设为派单员 你的名字」。"
    )
    assert await chat.say("wangwu", "安排 AZ0001 给 王师傅") == [refusal.format(what="派工")]
    assert await chat.say("wangwu", "帮我把AZ0001改到周五下午3点") == [refusal.format(what="改约")]
    job = await InstallJob.get(number=N1)
    assert (job.state, job.installer_id, job.version) == (JobState.PENDING, None, 0)
    [done] = await chat.say("lisi", "安排 AZ0001 给 王师傅")  # the booker plans their own job
    assert done.startswith(f"已把安装单 {N1} 安排给 王师傅")
    moved = await chat.say("wangsf", "改约 AZ0001 周五下午3点")  # the installer moves theirs
    assert f"安装单 {N1} 已改约到 11月27日（周五）15:00-17:00。已通知 王师傅。" in moved
    assert await chat.say("liusf", "把AZ0001派给刘师傅") == [refusal.format(what="派工")]
    [admin] = await chat.say("zhangsan", "把AZ0001派给刘师傅")
    assert admin.startswith(f"已把安装单 {N1} 安排给 刘师傅")
