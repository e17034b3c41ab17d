"""What people type, tidied before anything tries to understand it.

Full-width letters and digits become ASCII (IMEs switch width mid-sentence), a phone number
typed in groups ("139 1234 5678") becomes one number, and a polite opening ("帮我", "麻烦")
is dropped so "帮我查一下张总" reads as the command it is. Chinese punctuation stays: the
commands' own forms use it (问：… 答：…).
"""

from __future__ import annotations

import re

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code).isalnum()}
_FULL_WIDTH[0x3000] = 0x20  # the ideographic space
_GROUPED_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[ \-](\d{4})[ \-](\d{4})(?!\d)")
# Longest first; never a bare 请 (请假 is a word) or 给我 (给我的客户…).
POLITE_OPENINGS = (
    "麻烦你帮我们", "麻烦你帮我", "麻烦帮我们", "麻烦帮我", "请帮我们", "请帮我",
    "你帮我们", "你帮我", "帮我们", "帮我", "帮忙", "麻烦你", "麻烦",
)  # fmt: skip
# Left after a verb: "查一下张总" is 查 张总, and so is "查下张总" (but 下周, 下午, 下个月 are
# times, and 下单 is a word).
SOFTENERS = ("一下", "下")
_WORDS_AFTER_XIA = frozenset("一周星礼月午班个次回单载面")


def normalise(text: str) -> str:
    text = text.translate(_FULL_WIDTH).strip()
    text = _GROUPED_PHONE.sub(r"\1\2\3", text)
    for opening in POLITE_OPENINGS:
        rest = text.removeprefix(opening).lstrip(" ，,")
        if rest != text.lstrip(" ，,") and rest:
            return rest
    return text


def without_softener(args: str) -> str:
    for softener in SOFTENERS:
        if not args.startswith(softener):
            continue
        rest = args.removeprefix(softener)
        if softener == "下" and rest[:1] in _WORDS_AFTER_XIA:
            return args
        return rest.lstrip(" ，,：:")
    return args
