"""Fill a command's slots from a sentence the way people typed it.

The second stage of understanding (``bot.nlu.guess``) knows which command a sentence most
likely means but not its arguments; this module finds them. Each slot name a command declares
has a kind, and each kind has one extractor that looks for its own shape in the sentence:
a person (an @mention, a userid, a name the segmenter learned, 张总-style titles), a number
(工单0001, 第3条), a time, a count, a duration. What is left when those are taken, with the
command's own verbs and the little words around them trimmed from its edges, is the free text
(a tag, a note, a problem).

A command's canonical form is a template over its slots (``派单 {ticket} 给 {who}``);
``{slot?}`` marks a slot that may be absent, and ``{slot?|处理中|等待客户}`` a slot that is one
of the words listed (found anywhere in the sentence, the longest first). A required slot
that cannot be found means no canonical form: the guess is then only offered, never run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.nlu.names import find_reference
from bot.nlu.numerals import to_int
from bot.nlu.segment import Segmenter
from bot.nlu.timeparse import parse_time


class Kind(StrEnum):
    PERSON = "person"
    NUMBER = "number"  # a ticket, an article, a payment order: digits as typed
    REF = "ref"  # a follow-up: its number, else what it is about (free text)
    TIME = "time"
    COUNT = "count"
    DURATION = "duration"
    DAYS = "days"  # a span counted in days: 两周 is 14, 一个月 30, a bare 7 is 7
    TEXT = "text"
    NAMED = "named"  # one of the names the tenant's catalog knows (an edition, a module, ...)


KINDS: dict[str, Kind] = {
    "who": Kind.PERSON,
    "to": Kind.PERSON,
    "source": Kind.PERSON,
    "target": Kind.PERSON,
    "ticket": Kind.NUMBER,
    "number": Kind.NUMBER,
    "order": Kind.NUMBER,
    "ref": Kind.REF,
    "when": Kind.TIME,
    "count": Kind.COUNT,
    "days": Kind.DAYS,
    "page": Kind.COUNT,
    "duration": Kind.DURATION,
    "tag": Kind.TEXT,
    "note": Kind.TEXT,
    "text": Kind.TEXT,
    "problem": Kind.TEXT,
    "solution": Kind.TEXT,
    "reason": Kind.TEXT,
    "question": Kind.TEXT,
    "details": Kind.TEXT,
    "category": Kind.TEXT,
    "name": Kind.PERSON,
    "edition": Kind.NAMED,
    "item": Kind.NAMED,
    "period": Kind.NAMED,
    "service": Kind.NAMED,
    "what": Kind.NAMED,
}
# Kinds taken first: the free text is what they leave.
# A follow-up's number goes before times (3号那个推到明天: 3号 is the follow-up, not the 3rd).
_ORDER = (
    Kind.NUMBER,
    Kind.TIME,
    Kind.DURATION,
    Kind.DAYS,
    Kind.COUNT,
    Kind.PERSON,
    Kind.REF,
    Kind.TEXT,
)

# Words around a command that are never its argument: particles, pronouns, measure words.
FILLERS = frozenset((
    "把", "给", "将", "帮", "帮我", "我", "我们", "你", "的", "了", "吧", "啊", "呀", "呢", "吗",
    "嘛", "哦", "一下", "下", "个", "一个", "这个", "那个", "这条", "那条", "请", "麻烦", "要",
    "想", "想要", "需要", "可以", "能", "能不能", "就", "再", "也", "都", "还", "先", "让", "和",
    "跟", "对", "那", "这", "那边", "这边", "一条", "条", "里", "上", "中", "去", "来", "说",
    "是", "为", "成", "到", "做", "弄", "搞", "下来",
))  # fmt: skip
# Characters that alone never make an argument (弄个, 一下吧, 这些).
FILLER_CHARS = frozenset(
    "把给将帮我你的了吧啊呀呢吗嘛哦一下个这那些条请要想就再也都还先让和跟对为成到做弄搞来去点"
)
# Said at the end of a sentence, never part of what it asks for.
MOOD_PARTICLES = frozenset("吧啊呀哦嘛呢啦哈")
# Free-text slots a command cannot do without (a tag to add, a reply to send).
REQUIRED_TEXT = frozenset({"tag", "text", "question", "problem"})
_EDGE_PUNCT = " \t\n，,。.：:；;！!？?、~～…\"'“”‘’（）()【】[]"
_MENTION = re.compile(r"@([^\s@，,。:：]{1,64})")
_USERID = re.compile(r"(?<![A-Za-z0-9_@.\-])([A-Za-z][A-Za-z0-9_.\-]{1,63})(?![A-Za-z0-9_.\-])")
_NUMBER = re.compile(
    r"(?:工单|单号|订单|知识|文章|编号|No\.?|#|第)?\s*(?<![\d.])(\d{1,12})(?![\d.])"
    r"\s*(?:号|条|个|项|篇)?",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"第([一二两三四五六七八九十\d]{1,3})(?:条|个|项|篇)")
_CN = "零〇一二两三四五六七八九十百千"
_COUNT = re.compile(rf"(?<![\d{_CN}])(\d{{1,6}}|[{_CN}]{{1,5}})\s*(?:个|位|人|次|条|天|席|套)?")
_DURATION = re.compile(rf"(\d{{1,4}}|[{_CN}]{{1,4}}|半)\s*(?:个)?\s*(?:年|月|季度|周|天)")
_SPAN = re.compile(rf"(\d{{1,4}}|[{_CN}]{{1,4}}|半)\s*(?:个)?\s*(天|日|周|星期|礼拜|月|年)")
DAYS_IN = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30, "年": 365}
# {name}, {name?} optional, {name|a|b} one of the words, {name?=待定} what an absent one becomes.
_SLOT = re.compile(r"\{(\w+)(\??)(?:\|([^}=]*))?(?:=([^}]*))?\}")


@dataclass
class Sentence:
    """A sentence being taken apart: each extractor blanks what it takes."""

    text: str
    segmenter: Segmenter | None
    now: datetime
    # For ``Kind.NAMED`` slots: the names each may take (slot → names), from the capabilities'
    # ``slot_names`` hooks (bot.dispatch.dispatcher).
    names: Mapping[str, Sequence[str]] = field(default_factory=dict)
    taken: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.text)

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> str:
        for i in range(start, end):
            self.taken[i] = True
        return self.text[start:end]

    def left(self) -> str:
        return "".join(" " if used else ch for ch, used in zip(self.text, self.taken, strict=True))


_NUMBERED_REF = re.compile(
    rf"^第?\s*(\d{{1,6}}|[{_CN}]{{1,4}})\s*(?:号|条|个)?\s*(?:那个|那条|这个|这条)?\s*的?"
    r"(?:跟进任务|跟进|提醒|待办|任务|回访)?$"
)


def tidy(name: str, value: str) -> str:
    """A slot's value as the command's canonical form writes it (Duckling's "value", not the
    words): 三 → 3 for a count, 第五条提醒 → 5 for a follow-up named by its number. Anything
    else stays as typed: a duration (一年) is echoed back in the user's own words."""
    kind = KINDS.get(name)
    if kind is Kind.COUNT:
        number = to_int(value.strip())
        return str(number) if number is not None else value
    if kind is Kind.DAYS:
        span = _SPAN.fullmatch(value.strip())
        if span is not None and span.group(1) != "半":
            amount = to_int(span.group(1), digit_strings=False)
            return str(amount * DAYS_IN[span.group(2)]) if amount else value
        number = to_int(value.strip())
        return str(number) if number is not None else value
    if kind is Kind.REF:
        numbered = _NUMBERED_REF.match(value.strip())
        if numbered is not None and (number := to_int(numbered.group(1))) is not None:
            return str(number)
        return value
    return value


def template_of(words: Sequence[str], slots: Sequence[str], declared: str = "") -> str:
    """The command's fill template: declared, or its first word and its slots in order, each
    optional unless its kind is a person or a number."""
    if declared:
        return declared
    parts = [words[0]]
    for name in slots:
        required = KINDS.get(name) in (Kind.PERSON, Kind.NUMBER, Kind.REF)
        required = required or name in REQUIRED_TEXT
        parts.append("{" + name + ("" if required else "?") + "}")
    return " ".join(parts)


def fillable(template: str, named: Container[str] = ()) -> bool:
    """Every slot of the template has a kind this module can find, or lists its words (in
    the template, or in ``named`` for a slot of names)."""
    return all(
        words or (name in KINDS and (KINDS[name] is not Kind.NAMED or name in named))
        for name, _, words, _ in _SLOT.findall(template)
    )


def fill(template: str, sentence: Sentence, triggers: Iterable[str] = ()) -> str | None:
    """The canonical command for ``sentence``, or None when a required slot is missing."""
    slots = _SLOT.findall(template)
    values: dict[str, str] = {}
    for name, _, words, _ in slots:
        listed = words.split("|") if words else sentence.names.get(name, ())
        if listed and (value := _one_of(sentence, listed)):
            values[name] = value
    people = sum(1 for name, *_ in slots if KINDS.get(name) is Kind.PERSON)
    for kind in _ORDER:
        for name, *_ in slots:
            if name in values or not _turn_of(KINDS.get(name), kind):
                continue
            if kind is Kind.PERSON:
                value = _person(sentence, prefer_last=(people > 1 and name in ("to", "target")))
            elif kind in (Kind.REF, Kind.TEXT):
                value = _free_text(sentence, triggers)
            else:
                value = _EXTRACTORS[kind](sentence)
            if value:
                values[name] = value
    _name_from_the_rest(slots, values, sentence, triggers)
    if any(not optional and not values.get(name) for name, optional, *_ in slots):
        return None
    values = {name: tidy(name, value) for name, value in values.items()}
    for name, _, _, default in slots:
        if default and not values.get(name):
            values[name] = default
    filled = _SLOT.sub(lambda m: values.get(m.group(1), ""), template)
    return " ".join(filled.split()) if "\n" not in filled else filled.strip()


_BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}|[A-Za-z][A-Za-z0-9_.\-]{1,63}")


def _name_from_the_rest(
    slots: Sequence[tuple[str, str, str, str]],
    values: dict[str, str],
    sentence: Sentence,
    triggers: Iterable[str],
) -> None:
    """钱七升成管理员吧: a command about one person and nothing else, and no name it knows;
    what is left once its words are gone is the name, when it looks like one."""
    people = [name for name, *_ in slots if KINDS.get(name) is Kind.PERSON]
    if len(people) != 1 or people[0] in values:
        return
    if any(KINDS.get(name) in (Kind.TEXT, Kind.REF) for name, *_ in slots):
        return  # the rest is that text, not a name
    rest = _free_text(sentence, triggers)
    if rest and _BARE_NAME.fullmatch(rest) and not FILLER_CHARS & set(rest):
        values[people[0]] = rest  # 设个 is no name: 个 never is part of one


def _turn_of(slot: Kind | None, turn: Kind) -> bool:
    """Whether a slot of kind ``slot`` is looked for in ``turn``. A follow-up is looked for
    twice: by number with the numbers, else by what it is about (张总那个) as the free text
    (all of it: a note cannot follow a description)."""
    if slot is Kind.REF and turn is Kind.NUMBER:
        return True
    return slot is turn


def _one_of(sentence: Sentence, words: Sequence[str]) -> str | None:
    for word in sorted(words, key=len, reverse=True):
        at = sentence.text.find(word)
        if at >= 0 and sentence.free(at, at + len(word)):
            return sentence.take(at, at + len(word))
    return None


def _person(sentence: Sentence, *, prefer_last: bool = False) -> str | None:
    found: list[tuple[int, int, str]] = []
    text = sentence.text
    for pattern in (_MENTION, _USERID):
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), m.group(1)))
    segmenter = sentence.segmenter
    if segmenter is not None:
        for name in segmenter.names_in(text):
            at = text.find(name)
            if at >= 0:
                found.append((at, at + len(name), name))
    rest = sentence.left()
    reference = find_reference(rest)
    if reference is not None:
        at = rest.find(reference.text)
        found.append((at, at + len(reference.text), reference.text))
    found = [f for f in found if sentence.free(f[0], f[1])]
    if not found:
        return None
    found.sort(key=lambda f: f[0])
    start, end, value = found[-1] if prefer_last else found[0]
    sentence.take(start, end)
    return value


def _number(sentence: Sentence) -> str | None:
    for m in _ORDINAL.finditer(sentence.text):
        if sentence.free(m.start(), m.end()):
            value = to_int(m.group(1))
            if value is not None:
                sentence.take(m.start(), m.end())
                return str(value)
    for m in _NUMBER.finditer(sentence.text):
        if sentence.free(m.start(), m.end()) and not _is_phone(m.group(1)):
            sentence.take(m.start(), m.end())
            return m.group(1)
    return None


def _count(sentence: Sentence) -> str | None:
    for m in _COUNT.finditer(sentence.text):
        if not sentence.free(m.start(), m.end()):
            continue
        value = to_int(m.group(1), digit_strings=False)
        if value is not None and value > 0:
            sentence.take(m.start(), m.end())
            return str(value)
    return None


def _duration(sentence: Sentence) -> str | None:
    for m in _DURATION.finditer(sentence.text):
        if not sentence.free(m.start(), m.end()):
            continue
        amount = "半" if m.group(1) == "半" else to_int(m.group(1), digit_strings=False)
        if amount:
            return sentence.take(m.start(), m.end()).replace(" ", "")  # as typed: 一年, 3个月
    return None


def _days(sentence: Sentence) -> str | None:
    """最近两周 is 14 days, 近一个月 30, 半年 182; a bare number (最近7) is days already."""
    for m in _SPAN.finditer(sentence.text):
        if not sentence.free(m.start(), m.end()):
            continue
        amount = 0.5 if m.group(1) == "半" else to_int(m.group(1), digit_strings=False)
        if amount:
            sentence.take(m.start(), m.end())
            return str(int(amount * DAYS_IN[m.group(2)]))
    return _count(sentence)


def _time(sentence: Sentence) -> str | None:
    found = parse_time(sentence.left(), sentence.now)
    if found is None:
        return None
    start, end = found.span
    return sentence.take(start, end)


def _free_text(sentence: Sentence, triggers: Iterable[str]) -> str | None:
    """What the other slots left, as typed (spaces and punctuation inside it kept), without
    the command's verbs and the little words at its edges."""
    rest = sentence.left()
    if sentence.segmenter is None:
        return None  # without words there is no telling the verbs from the argument
    noise = FILLERS | set(triggers)
    spans, at = [], 0
    for token in sentence.segmenter.words(rest):
        at = rest.index(token, at)
        spans.append((at, at + len(token), token))
        at += len(token)

    def skippable(token: str, *, leading: bool) -> bool:
        bare = token.strip(_EDGE_PUNCT)
        if not bare:
            return True
        if leading:
            return token in noise or all(ch in FILLER_CHARS for ch in bare)
        return token in set(triggers) or bare in MOOD_PARTICLES

    while spans and skippable(spans[0][2], leading=True):
        spans.pop(0)
    while spans and skippable(spans[-1][2], leading=False):
        spans.pop()
    spans = _longest_between(spans, frozenset(triggers))
    if not spans:
        return None
    value = _without_filler_clause(rest[spans[0][0] : spans[-1][1]].strip(_EDGE_PUNCT))
    sentence.take(0, len(sentence.text))  # nothing is left for another slot
    return value or None


_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?]")


def _without_filler_clause(value: str) -> str:
    """复印机一直卡纸，帮我 (开个维修单): a last clause of little words only is no part of it."""
    pieces = _CLAUSE_BREAK.split(value)
    if len(pieces) > 1 and pieces[-1].strip() and set(pieces[-1].strip()) <= FILLER_CHARS:
        return value[: len(value) - len(pieces[-1])].rstrip(_EDGE_PUNCT)
    return value


def _longest_between(
    spans: list[tuple[int, int, str]], triggers: frozenset[str]
) -> list[tuple[int, int, str]]:
    """A command's verb inside what is left splits it (王经理身上 | 加个标签 | 老客户): the
    argument is the longest piece between verbs."""
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for span in spans:
        if span[2] in triggers:
            pieces.append([])
        else:
            pieces[-1].append(span)
    return max(pieces, key=lambda piece: sum(len(token) for _, _, token in piece))


def _is_phone(digits: str) -> bool:
    return len(digits) == 11 and digits.startswith("1")


_EXTRACTORS: dict[Kind, Callable[[Sentence], str | None]] = {
    Kind.NUMBER: _number,
    Kind.REF: _number,
    Kind.TIME: _time,
    Kind.COUNT: _count,
    Kind.DURATION: _duration,
    Kind.DAYS: _days,
}
