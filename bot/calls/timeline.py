"""A call on its customer's timeline, which counts as an interaction for the value score."""

from __future__ import annotations

from datetime import datetime

from bot.calls.talk import OUTCOME_WORDS, length_words
from bot.crm.book import add_note
from bot.crm.valuation import refresh_value
from models.calls import CallDirection, CallRecord
from models.crm.customers import Customer, NoteKind
from models.tenants import Employee


def timeline_text(call: CallRecord) -> str:
    """通话（呼出，接通 15分钟）：想要报价."""
    direction = "呼入" if call.direction is CallDirection.INBOUND else "呼出"
    length = f" {length_words(call.talk_secs)}" if call.talk_secs else ""
    head = f"通话（{direction}，{OUTCOME_WORDS[call.disposition]}{length}）"
    return f"{head}：{call.note}" if call.note else head


async def on_timeline(
    customer: Customer, call: CallRecord, now: datetime, by: Employee | None
) -> None:
    await add_note(customer, NoteKind.NOTE, timeline_text(call), now, by)
    await refresh_value(customer, now)
