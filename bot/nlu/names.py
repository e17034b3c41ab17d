"""People named the way sales people talk: 张总, 李经理, 王老师, 刘姐, 陈哥, or a full name."""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLES = ("总经理", "经理", "老师", "总", "姐", "哥")
_TITLED = re.compile(rf"([\u4e00-\u9fff])({'|'.join(TITLES)})")
# Verbs a follow-up puts before the person it is about ("回访张三", "给李四打电话").
_AFTER_VERB = re.compile(
    r"(?:回访|拜访|联系|跟进|约|见|给|找|问)([\u4e00-\u9fff]{2,3}?)(?:打|发|聊|的|$)"
)


@dataclass(frozen=True, slots=True)
class NameRef:
    text: str  # as written: 张总
    surname: str  # 张 for a titled reference, the full name otherwise
    titled: bool


def find_reference(text: str) -> NameRef | None:
    """The person a sentence is about, or None."""
    titled = _TITLED.search(text)
    if titled is not None:
        return NameRef(titled.group(0), titled.group(1), True)
    plain = _AFTER_VERB.search(text)
    if plain is not None:
        return NameRef(plain.group(1), plain.group(1), False)
    return None


def fits(ref: NameRef, name: str) -> bool:
    """Whether a stored name answers to the reference: 张总 fits 张总 and 张伟, not 张家口科技."""
    if name == ref.text:
        return True
    if ref.titled:
        return name.startswith(ref.surname) and 2 <= len(name) <= 3
    return name == ref.surname
