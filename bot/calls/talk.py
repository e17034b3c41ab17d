"""Reading what someone says about a call: how long it lasted, or that it did not go through.

``聊了15分钟`` is 900 s of talk, ``3分20秒`` 200 s, ``半小时`` 1800 s, ``一个半小时`` 5400 s;
``没打通`` / ``没人接`` is a missed call, ``占线`` a busy one. Whatever is not the length or
the outcome is the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.numerals import to_int
from models.calls import Disposition

_NUM = r"\d{1,4}|[零一二两三四五六七八九十百]{1,5}"
_VERB = r"(?:聊了|谈了|说了|讲了|打了|通话|通了|聊|谈|共)?\s*"
_LENGTH = re.compile(
    rf"{_VERB}(?:(?P<half_hour>半)个?小时|(?P<hours>{_NUM})\s*个?(?P<and_half>半)?\s*小时"
    rf"|(?P<minutes>{_NUM})\s*(?:分钟|分)(?:\s*(?P<seconds_after>{_NUM})\s*秒)?"
    rf"|(?P<seconds>{_NUM})\s*秒(?:钟)?)(?:左右|多)?"
)
_MISSED = re.compile(
    r"没(?:有)?(?:打通|接通|通|人接|接|接听)|未接通?|无人接听|打不通|不接|关机|停机|空号"
)
_BUSY = re.compile(r"占线|忙音|在忙|正忙|挂断了?|拒接")
_ANSWERED = re.compile(r"打通了?|接通了?|通了|接了")
_EDGES = " \t，,。.：:；;！!、"
MAX_TALK_SECS = 12 * 3600
OUTCOME_WORDS = {
    Disposition.ANSWERED: "接通",
    Disposition.MISSED: "未接通",
    Disposition.BUSY: "占线",
    Disposition.FAILED: "未打出",
}


@dataclass(frozen=True, slots=True)
class Said:
    talk_secs: int | None  # None: the length was not said
    outcome: Disposition | None  # None: the outcome was not said
    rest: str  # the note


def _n(text: str | None) -> int:
    if not text:
        return 0
    value = to_int(text, digit_strings=False)
    return value or 0


def _length(found: re.Match[str]) -> int:
    if found["half_hour"]:
        return 1800
    if found["hours"]:
        return _n(found["hours"]) * 3600 + (1800 if found["and_half"] else 0)
    if found["minutes"]:
        return _n(found["minutes"]) * 60 + _n(found["seconds_after"])
    return _n(found["seconds"])


def _cut(text: str, found: re.Match[str]) -> str:
    return text[: found.start()] + " " + text[found.end() :]


def tidy(text: str) -> str:
    parts = [p.strip(_EDGES) for p in re.split(r"[，,。；;]", text)]
    return "，".join(" ".join(p.split()) for p in parts if p.strip(_EDGES))


def read_call(text: str) -> Said:
    """The talk length, the outcome and the note in a sentence about one call."""
    talk: int | None = None
    outcome: Disposition | None = None
    for pattern, said in ((_MISSED, Disposition.MISSED), (_BUSY, Disposition.BUSY)):
        found = pattern.search(text)
        if found is not None:
            outcome, text = said, _cut(text, found)
            break
    if outcome is None:
        found = _ANSWERED.search(text)
        if found is not None:
            outcome, text = Disposition.ANSWERED, _cut(text, found)
    length = _LENGTH.search(text)
    if length is not None:
        talk, text = min(_length(length), MAX_TALK_SECS), _cut(text, length)
    if outcome is None and talk:
        outcome = Disposition.ANSWERED
    return Said(talk, outcome, tidy(text))


def length_words(secs: int) -> str:
    """15分钟, 3分20秒, 45秒, 1小时5分."""
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    if minutes:
        return f"{minutes}分{seconds}秒" if seconds else f"{minutes}分钟"
    return f"{seconds}秒"
