"""From a sentence ("明天下午3点提醒我回访张总") to what a follow-up needs: time and content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.dispatch.errors import UserFacingError
from bot.followups.wording import time_words
from bot.nlu.timeparse import ParsedTime, parse_time

DEFAULT_HOUR = 9  # a date without a time reminds at the start of the working day
DATE_GRAINS = ("day", "week", "month", "year")
_TRIGGERS = re.compile(r"(?i)remind me|提醒我|提醒|记得|别忘了|叫我|喊我|通知我|remind")
# What a deadline leaves behind once its time is cut out: 周五前记得… → 前 …
_DEADLINE_LEFTOVER = re.compile(r"^\s*(?:之前|以前|前)")
_EDGES = " \t，,。.：:；;！!"
DEFAULT_CONTENT = "跟进"
IN_THE_PAST = "{when} 已经过去了，请说一个以后的时间，例如：明天下午3点。"


@dataclass(frozen=True, slots=True)
class Request:
    content: str
    due_at: datetime | None


def due_time(parsed: ParsedTime, now: datetime, keep_time: datetime | None = None) -> datetime:
    """A date alone means ``keep_time``'s time of day (推迟 to another day keeps the hour),
    else DEFAULT_HOUR. A time already past is refused rather than silently moved."""
    start = parsed.start
    if parsed.grain in DATE_GRAINS:
        if keep_time is not None:
            local = keep_time.astimezone(start.tzinfo)
            start = start.replace(hour=local.hour, minute=local.minute)
        else:
            start = start.replace(hour=DEFAULT_HOUR, minute=0)
    if start < now - timedelta(minutes=1):
        raise UserFacingError(IN_THE_PAST.format(when=time_words(start, now.tzinfo)))
    return start


def content_of(text: str, parsed: ParsedTime | None) -> str:
    if parsed is not None:
        before, after = text[: parsed.span[0]], text[parsed.span[1] :]
        text = before + " " + _DEADLINE_LEFTOVER.sub("", after)
    text = _TRIGGERS.sub(" ", text)
    text = " ".join(text.split()).strip(_EDGES)
    return text or DEFAULT_CONTENT


def understand(text: str, now: datetime) -> Request:
    parsed = parse_time(text, now)
    due = due_time(parsed, now) if parsed is not None else None
    return Request(content_of(text, parsed), due)
