"""Arguments several commands read the same way, with the same replies when they are wrong."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.nlu.numerals import to_int

# WeCom userids: letters, digits and _ - . @, at most 64 characters.
USERID_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
ASK_USERID = "请写上同事的企业微信 userid，例如：{command} lisi"
BAD_USERID = "「{text}」不像企业微信 userid（字母、数字和 _ - . @，最多 64 个字符）。"
# A page as people ask for it: 2, 第2页, 第 2 页, 2页, 第二页, 列表第二页 (the list's own name
# is often said again before the page).
_PAGE = re.compile(
    r"^(?:列表|清单)?\s*(?:第\s*)?(?P<number>[0-9]+|[一二两三四五六七八九十百]{1,4})\s*页?$"
)


def userid_arg(ctx: Context, command: str) -> str:
    """The colleague's userid after ``command`` (分配席位 lisi, 设为管理员 lisi)."""
    text = ctx.args.strip()
    if not text:
        raise UserFacingError(ASK_USERID.format(command=command))
    if not USERID_RE.match(text):
        raise UserFacingError(BAD_USERID.format(text=text[:20]))
    return text


def page_arg(text: str) -> int | None:
    """The page number in ``text`` (1 when nothing is written), or None when ``text`` is
    not a page: the caller says what to type."""
    text = text.strip()
    if not text:
        return 1
    match = _PAGE.match(text)
    if match is None:
        return None
    # 第二页 is page 2; 三五 is not a page (digit strings are refused)
    page = to_int(match.group("number"), digit_strings=False)
    return page if page is not None and page >= 1 else None
