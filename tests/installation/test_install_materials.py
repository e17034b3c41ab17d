"""Materials used on a job (用料): with the ERP-lite module they go out of the default warehouse
through the guarded path (领用, under a key per material, so once however WeCom retries); short
stock is refused with what is available and does not block the completion; without the module
they are recorded on the job only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.erp import product
from support.followups import add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.erp import MoveKind, StockBalance, StockMove, StockRefusal
from models.installation import InstallJob, InstallMaterial, JobState
from tests.erp.test_stock_invariants import assert_ledger_balanced

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
WITH_ERP = Plan("erp", 10, "month", modules=frozenset({"installation", "orders"}))
DONE = (
    f"安装单 {N1} 已完工：已调试正常。已把确认链接发给客户；"
    "客户当面确认的，发送「确认安装 AZ0001」。"
)


async def booked(chat: Chat, clock: FrozenClock, jobs: int = 1) -> None:
    """``jobs`` jobs for 星辰科技 on Thursday, AZ0001 with 王师傅 and AZ0002 with 刘师傅, both
    checked in."""
    await add_customer("星辰科技")
    await chat.say("zhangsan", "安装设置 照片 0张")
    installers = ("王师傅", "刘师傅")
    for n in range(jobs):
        await chat.say("lisi", f"约安装 星辰科技 周四上午{9 + 3 * n}点 网络布线 地址朝阳区xx路")
        await chat.say("zhaoliu", f"安排 AZ000{n + 1} 给 {installers[n]}")
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=SH))
    for userid in ("wangsf", "liusf")[:jobs]:
        await check_in(chat, userid)


async def check_in(chat: Chat, userid: str) -> None:
    since = await chat.sim.sent_count()
    location = {"MsgType": "location", "FromUserName": userid, "Location_X": "39.9",
                "Location_Y": "116.4", "Scale": "15", "Label": "朝阳区"}  # fmt: skip
    await chat.sim.deliver("acme", location)
    await chat.settle(since)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock, plan=WITH_ERP) as opened:
        await product("网线", unit="米")
        await product("水晶头", unit="个")
        await opened.say("lisi", "入库 网线 100米")
        await opened.say("lisi", "入库 水晶头 5个")
        await booked(opened, clock)
        yield opened


async def on_hand(name: str) -> int:
    return (await StockBalance.get(product__name=name)).on_hand


async def test_completion_posts_the_materials_and_lists_them(chat: Chat) -> None:
    [reply] = await chat.say("wangsf", "完工 AZ0001 已调试正常 用料 网线2米 水晶头4个")
    assert reply == f"{DONE}\n用料已从总仓出库：网线2米、水晶头4个。"
    moves = await StockMove.filter(kind=MoveKind.ISSUE).order_by("id").prefetch_related("product")
    assert [(m.product.name, m.qty_delta, m.reference, m.member) for m in moves] == [
        ("网线", -2, N1, "王师傅"),
        ("水晶头", -4, N1, "王师傅"),
    ]
    assert all(m.key and m.key.startswith("install-material:") for m in moves)
    assert (await on_hand("网线"), await on_hand("水晶头")) == (98, 1)
    job = await InstallJob.get(number=N1)
    assert (job.state, job.resolution) == (JobState.COMPLETED, "已调试正常")
    [shown] = await chat.say("lisi", "安装单 AZ0001")
    assert "\n用料：网线2米（已出库）、水晶头4个（已出库）\n" in shown
    await assert_ledger_balanced()


async def test_short_stock_is_refused_with_what_is_there_and_the_job_still_completes(
    chat: Chat,
) -> None:
    [reply] = await chat.say("wangsf", "完工 AZ0001 已调试正常 用料 网线2米 水晶头6个")
    assert reply == (
        f"{DONE}\n用料已从总仓出库：网线2米。\n"
        "没有出库：总仓的「水晶头」只有 5个 可用，要6个不够。库存补上后发送「用料 AZ0001」再出库。"
    )
    assert (await InstallJob.get(number=N1)).state is JobState.COMPLETED
    [refusal] = await StockRefusal.all()
    assert (refusal.wanted, refusal.available) == (6, 5)
    assert await on_hand("水晶头") == 5
    await chat.say("lisi", "入库 水晶头 10个")
    assert await chat.say("wangsf", "AZ0001 用料") == [
        f"安装单 {N1}：用料已从总仓出库：水晶头6个。"
    ]
    assert await chat.say("wangsf", "用料 AZ0001") == [
        f"安装单 {N1}：用料：网线2米（已出库）、水晶头6个（已出库）"
    ]
    assert await on_hand("水晶头") == 9
    await assert_ledger_balanced()


async def test_a_wecom_retry_posts_once(chat: Chat) -> None:
    fields = {"MsgType": "text", "FromUserName": "wangsf", "MsgId": 9301,
              "Content": "完工 AZ0001 已调试正常 用料 网线2米"}  # fmt: skip
    for _ in range(2):
        assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.embedded.runtime.tasks.drain()
    fields = {"MsgType": "text", "FromUserName": "wangsf", "MsgId": 9302,
              "Content": "用料 AZ0001 水晶头1个"}  # fmt: skip
    for _ in range(2):
        assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.embedded.runtime.tasks.drain()
    assert await InstallMaterial.all().count() == 2
    assert await StockMove.filter(kind=MoveKind.ISSUE).count() == 2
    assert (await on_hand("网线"), await on_hand("水晶头")) == (98, 4)


@pytest.mark.parametrize(
    ("sentence", "resolution"),
    [
        ("AZ0001装好了，调试正常，用了网线2米、水晶头4个", "调试正常"),
        ("完工 AZ0001 已调试正常，用料：网线 2米 和水晶头 4个", "已调试正常"),
        ("AZ0001完工了 调试正常 材料 网线2 水晶头4", "调试正常"),
    ],
)
async def test_natural_completions_carry_materials(
    chat: Chat, sentence: str, resolution: str
) -> None:
    [reply] = await chat.say("wangsf", sentence)
    assert reply.endswith("\n用料已从总仓出库：网线2米、水晶头4个。"), reply
    assert (await InstallJob.get(number=N1)).resolution == resolution


@pytest.mark.parametrize(
    "sentence", ["AZ0001 用料 网线 2", "AZ0001用了网线2米", "给AZ0001记用料 网线2米",
                 "登记一下AZ0001的用料：网线2米"],
)  # fmt: skip
async def test_materials_on_their_own(chat: Chat, sentence: str) -> None:
    assert await chat.say("wangsf", sentence) == [f"安装单 {N1}：用料已从总仓出库：网线2米。"]
    assert await on_hand("网线") == 98


async def test_a_resolution_that_only_mentions_using_is_kept_as_text(chat: Chat) -> None:
    [reply] = await chat.say("wangsf", "完工 AZ0001 已装好，用了两个小时")
    assert reply.startswith(f"安装单 {N1} 已完工：已装好，用了两个小时。")
    assert not await InstallMaterial.exists()


async def test_unknown_products_and_other_units_stay_on_the_job(chat: Chat) -> None:
    [reply] = await chat.say("wangsf", "用料 AZ0001 扎带10根 网线2卷")
    assert reply == (
        f"安装单 {N1}：没有出库：「扎带」不在商品目录里；「网线」的库存单位是米，用料写的是卷。"
        "库存补上后发送「用料 AZ0001」再出库。"
    )
    assert await InstallMaterial.filter(posted_at=None).count() == 2
    assert not await StockMove.filter(kind=MoveKind.ISSUE).exists()


async def test_bad_materials_and_wrong_moments_are_refused_clearly(
    chat: Chat, clock: FrozenClock
) -> None:
    usage = "用料请写名称和数量，例如：用料 AZ0001 网线2米 水晶头4个"
    assert await chat.say("wangsf", "用料 AZ0001 网线两米") == [usage]
    assert await chat.say("wangsf", "完工 AZ0001 已装好 用料 一些网线") == [usage]
    assert (await InstallJob.get(number=N1)).state is JobState.STARTED  # nothing lost
    assert await chat.say("wangwu", "用料 AZ0001 网线2米") == [
        f"安装单 {N1} 由 王师傅 负责，只有安装师傅或管理员可以记用料。"
    ]
    await chat.say("lisi", "约安装 星辰科技 周五上午 网络布线")
    assert await chat.say("lisi", "用料 AZ-20261126-0001 网线2米") == [
        "安装单 AZ-20261126-0001 当前状态：待排期，签到之后才能记用料。"
    ]
    assert not await InstallMaterial.exists()


async def test_two_installers_racing_for_the_last_stock_get_it_once(
    settings: Settings, clock: FrozenClock
) -> None:
    async with install_chat(settings, clock, plan=WITH_ERP) as chat:
        await product("水晶头", unit="个")
        await chat.say("lisi", "入库 水晶头 5个")
        await booked(chat, clock, jobs=2)
        since = await chat.sim.sent_count()
        sent = [
            {"MsgType": "text", "FromUserName": who, "Content": f"用料 {job} 水晶头4个"}
            for who, job in (("wangsf", "AZ0001"), ("liusf", "AZ0002"))
        ]
        await asyncio.gather(*(chat.sim.deliver("acme", fields) for fields in sent))
        await chat.settle(since)
        replies = chat.sent_to("wangsf") + chat.sent_to("liusf")
        assert sorted(r.split("：", 1)[1][:6] for r in replies) == ["没有出库：总", "用料已从总仓"]
        assert await on_hand("水晶头") == 1
        assert await StockMove.filter(kind=MoveKind.ISSUE).count() == 1
        await assert_ledger_balanced()


async def test_without_the_module_materials_are_recorded_on_the_job(
    settings: Settings, clock: FrozenClock
) -> None:
    async with install_chat(settings, clock) as chat:
        await booked(chat, clock)
        [reply] = await chat.say("wangsf", "完工 AZ0001 已调试正常 用料 网线2米 水晶头4个")
        assert reply == f"{DONE}\n用料已记在安装单上：网线2米、水晶头4个。"
        assert [(m.name, m.qty, m.unit) for m in await InstallMaterial.all().order_by("id")] == [
            ("网线", 2, "米"),
            ("水晶头", 4, "个"),
        ]
        assert not await StockMove.exists()
        [shown] = await chat.say("lisi", "安装单 AZ0001")
        assert "\n用料：网线2米、水晶头4个\n" in shown
