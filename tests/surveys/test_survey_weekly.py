"""The weekly satisfaction report and its chart, on a frozen clock: Monday 2026-11-23."""

from __future__ import annotations

import base64
import hashlib
import logging
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.surveys import customer, employee, survey

from bot.clock import FrozenClock
from bot.config import Settings
from bot.surveys.chart import ChartData, EmployeeBar, WeekPoint, render_chart
from bot.surveys.chart_font import find_cjk_font
from bot.surveys.weekly import weekly_report
from models.outbox import OutboxMessage
from scheduler.surveys import send_weekly_reports

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature and CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + body) == crc
    width, height = struct.unpack(">II", body[:8])
    return width, height


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened


async def run_job(chat: Chat) -> list[dict[str, object]]:
    runtime = chat.embedded.runtime
    assert runtime.client is not None and runtime.sender is not None
    since = await chat.sim.sent_count()
    await send_weekly_reports(
        runtime.tenants, runtime.client, runtime.sender, runtime.options.clock
    )
    return [r for r in await chat.sim.sent(since=since) if r["api"] == "message/send"]


async def weeks_of_answers() -> None:
    lisi = await employee("lisi", "李四", MONDAY_10AM - timedelta(days=90))
    wangwu = await employee("wangwu", "王五", MONDAY_10AM - timedelta(days=90))
    zhang = await customer("张三", MONDAY_10AM - timedelta(days=90))
    last_monday = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
    await survey(last_monday, score=5, who=lisi, about=zhang)
    await survey(last_monday + timedelta(days=6), score=4, who=lisi, about=zhang)  # Sunday
    await survey(
        last_monday + timedelta(days=2), score=2, comment="没人回", who=wangwu, about=zhang
    )
    await survey(last_monday + timedelta(days=3), who=wangwu, about=zhang)
    await survey(last_monday - timedelta(days=7), score=3, who=lisi, about=zhang)
    await survey(last_monday - timedelta(days=7), score=5, who=wangwu, about=zhang)
    await survey(last_monday - timedelta(days=50), score=5, who=lisi, about=zhang)
    await survey(last_monday + timedelta(days=7), score=1, who=lisi, about=zhang)  # this week


async def test_monday_morning_brings_the_report_and_its_chart_once(
    chat: Chat, clock: FrozenClock
) -> None:
    await weeks_of_answers()
    clock.set(MONDAY_10AM - timedelta(hours=2))  # 08:00 in Shanghai: not yet
    assert await run_job(chat) == []
    clock.set(MONDAY_10AM)
    sent = await run_job(chat)
    assert [(r["body"]["touser"], r["body"]["msgtype"]) for r in sent] == [
        ("zhangsan", "text"),
        ("zhangsan", "image"),
    ]
    assert sent[0]["body"]["text"]["content"] == (
        "【满意度周报】上周（11月16日—11月22日）\n"
        "CSAT 67%（4–5 分 2/3 份）· 回复率 75%（3/4）\n"
        "比前一周 +17 个百分点\n"
        "最低分留言：\n"
        "· 2 分 张三（王五，11月18日）：没人回\n"
        "趋势和各员工的对比见下图；明细发送「满意度 上周」。"
    )
    # The simulator refuses an image whose media_id it never issued (40007): this one was
    # uploaded with media/upload first.
    assert sent[1]["body"]["image"]["media_id"].startswith("3") and not sent[1]["dropped"]
    image_row = await OutboxMessage.get(msg_type="image")
    assert image_row.status == "sent"
    assert await run_job(chat) == []  # once a week
    clock.set(MONDAY_10AM + timedelta(days=1))
    assert await run_job(chat) == []
    clock.set(MONDAY_10AM + timedelta(days=7))
    assert [r["body"]["msgtype"] for r in await run_job(chat)] == ["text", "image"]


async def test_a_tenant_without_surveys_gets_no_report(chat: Chat) -> None:
    assert await run_job(chat) == []
    assert await OutboxMessage.all().count() == 0


def sample_chart() -> ChartData:
    weeks = [WeekPoint(f"10/{d:02d}", None if d == 5 else 40 + d, d) for d in range(5, 29, 3)]
    bars = [EmployeeBar("李四", "lisi", 100, 3), EmployeeBar("王五", "wangwu", 33.3, 3)]
    return ChartData("艾克米科技 满意度周报（11月16日—11月22日）", weeks, bars)


@pytest.mark.cjk_font
def test_the_chart_is_a_png_of_sensible_size_with_chinese_labels() -> None:
    font = find_cjk_font()
    assert font is not None
    data = render_chart(sample_chart(), font)
    width, height = png_size(data)
    assert 800 <= width <= 1600 and 800 <= height <= 1600
    assert 20_000 <= len(data) <= 1_000_000


def test_without_a_cjk_font_the_chart_still_renders_with_latin_labels() -> None:
    data = render_chart(sample_chart(), None)
    width, height = png_size(data)
    assert (width, height) == (990, 1100)
    assert 20_000 <= len(data) <= 1_000_000


def test_a_week_without_answers_still_draws() -> None:
    empty = ChartData("空", [WeekPoint("11/16", None, 0)], [])
    width, _ = png_size(render_chart(empty, None))
    assert width == 990


class NoUploads:
    """A WeCom client for a tenant whose notices go to a group webhook robot: the robot
    takes the picture itself, so nothing may be uploaded."""

    async def upload_media(self, *args: object) -> str:
        raise AssertionError("a webhook robot needs no media/upload")


async def test_a_webhook_robot_gets_the_picture_itself(chat: Chat) -> None:
    await weeks_of_answers()
    tenant = await chat.embedded.runtime.tenants.get("acme")
    assert tenant is not None
    robot = replace(tenant, aibot=replace(tenant.aibot, webhook_key="robot-key"))
    rows = await weekly_report(robot, NoUploads(), MONDAY_10AM, timedelta(0))  # type: ignore[arg-type]
    assert [(r.channel, r.msg_type, r.recipient) for r in rows] == [
        ("webhook", "markdown", "robot-key"),
        ("webhook", "image", "robot-key"),
    ]
    picture = base64.b64decode(rows[1].payload["base64"])
    assert hashlib.md5(picture).hexdigest() == rows[1].payload["md5"]
    assert png_size(picture) == (990, 1100)


def test_a_machine_without_cjk_fonts_is_told_what_to_install(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: ["/fonts/DejaVuSans.ttf"])
    find_cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.surveys.chart_font"):
            assert find_cjk_font() is None
    finally:
        find_cjk_font.cache_clear()
    assert "install fonts-wqy-microhei or fonts-noto-cjk" in caplog.text
