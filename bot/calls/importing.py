"""Call records from CSV exports (``scrm-bot calls import TENANT FILE``).

A header row names the columns, in English or Chinese; UTF-8 (with or without Excel's BOM)
or GB18030 (read as the knowledge import reads its files). Two layouts are understood:

- generic: ``time``/``开始时间``, ``number``/``号码``, ``direction``/``呼叫类型`` (呼入/呼出,
  in/out, 未接), ``duration``/``通话时长`` (talk: ``125``, ``2分5秒``, ``00:02:05``),
  ``agent``/``员工`` (WeCom userid or name), ``note``/``备注``, ``call_id``/``通话ID``;
- Android's call log (``number``, ``date`` in epoch milliseconds, ``duration`` in seconds,
  ``type`` 1 incoming, 2 outgoing, 3 missed, 5 rejected).

A time without an offset is the tenant's local time. Each row is one ended call keyed by its
call id, or else by its start, number, employee and talk, so importing a file twice (or two
overlapping exports) stores each call once. A row that cannot be used is reported with its
line number; the others are still imported. Imported calls go on the customer's timeline and
into the daily figures; old missed calls do not become callbacks. They are stored with the
``manual`` source (a record no platform made), their key starting with ``csv:``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.calls.numbers import match_number, normalise
from bot.calls.store import CallIn, claim_once, save_call, settings_of
from bot.calls.timeline import on_timeline
from bot.knowledge.importing import ImportFileError, read_text
from models.calls import CallDirection, CallSource, Disposition
from models.tenants import Employee

COLUMNS = {
    "time": "time", "start": "time", "start_time": "time", "started_at": "time",
    "call_time": "time", "date": "time", "开始时间": "time", "通话时间": "time",
    "呼叫时间": "time", "时间": "time", "日期": "time",
    "number": "number", "phone": "number", "phone_number": "number", "电话": "number",
    "号码": "number", "电话号码": "number", "对方号码": "number", "客户电话": "number",
    "direction": "direction", "type": "direction", "call_type": "direction",
    "呼叫类型": "direction", "类型": "direction", "方向": "direction", "通话类型": "direction",
    "duration": "talk", "talk": "talk", "billsec": "talk", "talk_secs": "talk",
    "通话时长": "talk", "时长": "talk", "通话秒数": "talk",
    "agent": "agent", "employee": "agent", "userid": "agent", "员工": "agent",
    "坐席": "agent", "工号": "agent", "主叫员工": "agent",
    "note": "note", "remark": "note", "备注": "note",
    "call_id": "call_id", "id": "call_id", "通话id": "call_id", "记录id": "call_id",
}  # fmt: skip
_IN = {"in", "inbound", "incoming", "1", "呼入", "来电", "已接来电", "接听"}
_OUT = {"out", "outbound", "outgoing", "2", "呼出", "去电", "已拨电话", "拨出"}
_MISSED = {"missed", "3", "5", "rejected", "未接", "未接来电", "拒接", "未接通"}
_HMS = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$")
_WORDS = re.compile(r"^(?:(\d+)\s*(?:小时|时))?\s*(?:(\d+)\s*(?:分钟|分))?\s*(?:(\d+)\s*秒)?$")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
MAX_TALK = 12 * 3600


class RowError(ValueError):
    """What is wrong with one row, in words for the report."""


@dataclass(slots=True)
class CallRow:
    line: int
    started_at: datetime
    number: str
    direction: CallDirection
    talk: int
    missed: bool
    agent: str = ""
    note: str = ""
    call_id: str = ""


@dataclass(slots=True)
class CallImport:
    rows: list[CallRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stored: int = 0
    new: int = 0


def parse_file(path: Path, tz: ZoneInfo) -> CallImport:
    return parse_csv(read_text(path), tz)


def parse_csv(text: str, tz: ZoneInfo) -> CallImport:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    names = [COLUMNS.get(h.strip().lower().replace(" ", "_")) for h in header or []]
    if "time" not in names or "number" not in names:
        raise ImportFileError(
            "the first row must name at least the columns time and number "
            "(or 开始时间 and 号码), optionally direction, duration, agent, note, call_id "
            "(呼叫类型, 通话时长, 员工, 备注, 通话ID)"
        )
    found = CallImport()
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        cells = {n: v.strip() for n, v in zip(names, values, strict=False) if n is not None}
        try:
            found.rows.append(_row(reader.line_num, cells, tz))
        except RowError as exc:
            found.errors.append(f"line {reader.line_num}: {exc}")
    return found


def _row(line: int, cells: dict[str, str], tz: ZoneInfo) -> CallRow:
    number = normalise(cells.get("number", ""))
    if not number:
        raise RowError("no phone number")
    started = read_time(cells.get("time", ""), tz)
    talk = read_talk(cells.get("talk", ""))
    kind = cells.get("direction", "").strip().lower()
    if kind and kind not in _IN | _OUT | _MISSED:
        raise RowError(f"unknown direction {kind!r} (呼入/呼出/未接, in/out/missed)")
    missed = kind in _MISSED
    direction = CallDirection.OUTBOUND if kind in _OUT or not kind else CallDirection.INBOUND
    return CallRow(
        line=line,
        started_at=started,
        number=number,
        direction=direction,
        talk=0 if missed else talk,
        missed=missed or talk == 0,
        agent=cells.get("agent", ""),
        note=cells.get("note", "")[:500],
        call_id=cells.get("call_id", "")[:64],
    )


def read_time(text: str, tz: ZoneInfo) -> datetime:
    text = text.strip()
    if not text:
        raise RowError("no time")
    if text.isdigit():  # epoch seconds, or Android's milliseconds
        stamp = int(text)
        return datetime.fromtimestamp(stamp / 1000 if stamp > 10**11 else stamp, tz)
    for form in _TIME_FORMATS:
        try:
            return datetime.strptime(text, form).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"unreadable time {text!r} (e.g. 2026-11-23 10:00:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def read_talk(text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    secs: int | None = None
    if text.isdigit():
        secs = int(text)
    elif (hms := _HMS.match(text)) is not None:
        secs = int(hms[1] or 0) * 3600 + int(hms[2]) * 60 + int(hms[3])
    elif (words := _WORDS.match(text)) is not None and any(words.groups()):
        secs = int(words[1] or 0) * 3600 + int(words[2] or 0) * 60 + int(words[3] or 0)
    if secs is None or secs > MAX_TALK:
        raise RowError(f"unreadable duration {text!r} (seconds, 2分5秒 or 00:02:05)")
    return secs


def _key(tenant_id: int, row: CallRow, employee_id: int | None) -> str:
    if row.call_id:
        return f"csv:{row.call_id}"
    raw = f"{int(row.started_at.timestamp())}|{row.number}|{employee_id or ''}|{row.talk}"
    return "csv:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


async def store_rows(tenant_id: int, tz: ZoneInfo, found: CallImport, now: datetime) -> None:
    """Every parsed row as an ended call; an unknown agent is a rejected line."""
    settings = await settings_of(tenant_id)
    own = list(settings.own_numbers)
    for row in found.rows:
        employee = None
        if row.agent:
            employee = (
                await Employee.get_or_none(tenant_id=tenant_id, userid=row.agent)
                or await Employee.filter(tenant_id=tenant_id, name=row.agent).first()
            )
            if employee is None:
                found.errors.append(f"line {row.line}: no colleague {row.agent!r}")
                continue
        match = await match_number(tenant_id, row.number, own)
        ring = 0 if row.missed else 10
        answered = row.started_at + timedelta(seconds=ring) if not row.missed else None
        call, created = await save_call(
            CallIn(
                tenant_id=tenant_id,
                dedup_key=_key(tenant_id, row, employee.id if employee else None),
                source=CallSource.MANUAL,  # not a platform's: its key starts with csv:
                direction=row.direction,
                started_at=row.started_at,
                number=row.number,
                employee_id=employee.id if employee else None,
                customer_id=match.customer.id if match.customer else None,
                answered_at=answered,
                ended_at=row.started_at + timedelta(seconds=ring + row.talk),
                said=Disposition.MISSED if row.missed else None,
                external_id=row.call_id or None,
                note=row.note,
            ),
            now,
            tz,
        )
        found.stored += 1
        found.new += created
        if match.customer is not None and await claim_once(call, "noted"):
            await on_timeline(match.customer, call, now, employee)
