"""scrm-bot calls import: CSV exports in UTF-8 or GB18030, Chinese or English headers, the
Android call-log layout; rejected lines reported with their numbers; a second import of the
same file stores nothing twice; imported calls count in the daily figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.calls import call_chat, customer
from support.crm import Chat

from bot.calls.importing import ImportFileError, parse_csv, read_talk
from bot.cli.calls import import_calls
from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallDay, CallDirection, CallRecord, CallSource, Disposition
from models.crm.customers import CustomerNote

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHINESE = (
    "开始时间,号码,呼叫类型,通话时长,员工,备注\n"
    "2026-11-23 09:00:00,138-0000-0000,呼出,2分5秒,lisi,报价\n"
    "2026/11/23 09:30,13900000000,呼入,00:01:00,王五,\n"
    "2026-11-23 09:40:00,13700000000,未接,,李四,\n"
    "明天,13600000000,呼出,60,lisi,\n"
    "2026-11-23 09:50:00,,呼出,60,lisi,\n"
    "2026-11-23 09:55:00,13500000000,呼出,很久,lisi,\n"
    "2026-11-23 09:58:00,13500000000,呼出,30,钱七,\n"
)
ANDROID = (
    "number,date,duration,type,name\n"
    "+8613800000000,1795392000000,95,2,张总\n"  # 2026-11-23 08:00 Shanghai, outgoing
    "13900000000,1795392600000,0,3,\n"  # missed
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        await customer("张总", "13800000000", "星辰科技")
        yield opened


async def test_a_gb18030_chinese_export_is_imported_and_bad_lines_are_reported(
    chat: Chat, settings: Settings, clock: FrozenClock, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = tmp_path / "calls.csv"
    path.write_bytes(CHINESE.encode("gb18030"))
    assert await import_calls(settings, "acme", path, clock) == 1
    out, err = capsys.readouterr()
    assert f"imported {path} into acme: 3 calls, 3 new, 4 lines rejected" in out
    assert err.splitlines() == [
        "  line 5: unreadable time '明天' (e.g. 2026-11-23 10:00:00)",
        "  line 6: no phone number",
        "  line 7: unreadable duration '很久' (seconds, 2分5秒 or 00:02:05)",
        "  line 8: no colleague '钱七'",
    ]
    rows = await CallRecord.all().order_by("started_at")
    assert [(r.number, r.direction, r.talk_secs, r.disposition, r.source) for r in rows] == [
        ("13800000000", CallDirection.OUTBOUND, 125, Disposition.ANSWERED, CallSource.MANUAL),
        ("13900000000", CallDirection.INBOUND, 60, Disposition.ANSWERED, CallSource.MANUAL),
        ("13700000000", CallDirection.INBOUND, 0, Disposition.MISSED, CallSource.MANUAL),
    ]
    assert rows[0].customer_id is not None and rows[0].note == "报价"
    assert all(r.dedup_key.startswith("csv:") for r in rows)
    assert await CustomerNote.filter(customer_id=rows[0].customer_id).count() == 1
    assert rows[2].callback_id is None  # an old missed call does not become a callback
    assert sum(await CallDay.all().values_list("calls", flat=True)) == 3
    # The same file again: nothing new.
    assert await import_calls(settings, "acme", path, clock) == 1
    again = capsys.readouterr().out
    assert await CallRecord.all().count() == 3
    assert "3 calls, 0 new" in again
    [mine] = await chat.say("lisi", "我的通话 今天")
    assert mine.startswith("今天（11月23日）：拨打/接听 2 通，接通 1 通")


async def test_an_android_call_log_in_utf8_with_bom(
    chat: Chat, settings: Settings, clock: FrozenClock, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = tmp_path / "android.csv"
    path.write_bytes(ANDROID.encode("utf-8-sig"))
    assert await import_calls(settings, "acme", path, clock) == 0
    assert "2 calls, 2 new, 0 lines rejected" in capsys.readouterr().out
    rows = await CallRecord.all().order_by("started_at")
    assert [(r.number, r.direction, r.talk_secs) for r in rows] == [
        ("13800000000", CallDirection.OUTBOUND, 95),
        ("13900000000", CallDirection.INBOUND, 0),
    ]
    assert rows[0].started_at.astimezone(SHANGHAI).strftime("%H:%M") == "08:00"


def test_a_file_without_the_needed_columns_says_which() -> None:
    with pytest.raises(ImportFileError, match="time and number"):
        parse_csv("who,what\nlisi,hello\n", SHANGHAI)


@pytest.mark.parametrize(
    ("text", "secs"), [("125", 125), ("2分5秒", 125), ("00:02:05", 125), ("1小时", 3600), ("", 0)]
)
def test_durations_as_exports_write_them(text: str, secs: int) -> None:
    assert read_talk(text) == secs


async def test_an_unknown_tenant_is_an_error(
    chat: Chat, settings: Settings, clock: FrozenClock, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text(CHINESE)
    assert await import_calls(settings, "nobody", path, clock) == 1
