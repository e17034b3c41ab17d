"""Reading a customer's chat reply to an installation confirmation: yes (时间没问题 / 确认安装完成),
no (申请改约 / 还有问题，需要再次上门), unclear, or no answer at all.

The reply is scanned left to right for cue words, longest first at each place, so 没问题 is a
yes before 问题 could be a no, and 不可以 a no before 可以 could be a yes. A reply with cues of
both kinds, or a yes asked as a question (装好了吗？), is unclear: it is never guessed. A reply
with no cue at all (你们周末上班吗) is no answer, and is left to the rest of the chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.nlu.normalise import normalise


class Reading(StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"
    NONE = "none"


YES_WORDS = (
    "确认", "确定", "没问题", "没有问题", "没毛病", "可以", "好的", "好", "行", "ok", "嗯",
    "对", "是的", "同意", "装好了", "装好", "已完成", "完成了", "正常", "满意", "能用", "收到",
    "按时", "准时",
)  # fmt: skip
NO_WORDS = (
    # another time
    "改约", "改期", "改到", "改成", "改时间", "改一下", "可以改", "能改", "能不能改", "换个时间",
    "换时间", "换一天", "不在家", "不在", "没空", "没时间", "不方便", "来不了", "推迟", "延后",
    "提前", "改天", "另约", "晚点", "早点", "晚一点", "早一点", "不可以", "不行", "不好", "不对",
    # another visit
    "还有问题", "有问题", "不出", "不能", "没装好", "没好", "坏", "故障", "没反应",
    "不亮", "漏", "异常", "不正常", "不工作", "卡纸", "报错", "再来", "再上门", "上门看看",
    "不满意",
)  # fmt: skip
# Words that hold a cue but mean neither (你好, 不好意思, 好像还是不行): read and passed over.
NEUTRAL_WORDS = ("你好", "您好", "不好意思", "对不起", "好像", "最好", "好几", "行李", "银行")
# The words a reply may open with that are only the choice itself, not a note worth keeping.
BARE_CHOICES = ("申请改约", "改约", "改期", "还有问题", "有问题", "确认")
_CUES = re.compile(
    "|".join(
        re.escape(w) for w in sorted({*YES_WORDS, *NO_WORDS, *NEUTRAL_WORDS}, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_YES = frozenset(w.lower() for w in YES_WORDS)
_NEUTRAL = frozenset(NEUTRAL_WORDS)
_QUESTION = re.compile(r"(?:吗|么|呢|[？?])[\s。.!！~～]*$")
_EDGES = " ，,。.！!、：:；;~～"


@dataclass(frozen=True, slots=True)
class Reply:
    reading: Reading
    note: str  # what the customer wrote beyond the bare choice (改到周六上午, 打印机还是不出纸)


def read_reply(text: str) -> Reply:
    tidy = normalise(text)
    cues = [m.group(0).lower() for m in _CUES.finditer(tidy)]
    kinds = {cue in _YES for cue in cues if cue not in _NEUTRAL}
    if not kinds:
        return Reply(Reading.NONE, "")
    if kinds == {True, False}:
        return Reply(Reading.UNCLEAR, "")
    if kinds == {True}:
        return Reply(Reading.UNCLEAR if _QUESTION.search(tidy) else Reading.YES, "")
    return Reply(Reading.NO, _note(tidy))


def _note(text: str) -> str:
    for bare in BARE_CHOICES:
        if text.startswith(bare):
            return text.removeprefix(bare).strip(_EDGES)
    return text.strip(_EDGES)
