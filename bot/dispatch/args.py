"""Arguments several commands read the same way, with the same replies when they are wrong."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError

# WeCom userids: letters, digits and _ - . @, at most 64 characters.
USERID_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
ASK_USERID = "请写上同事的企业微信 userid，例如：{command} lisi"
BAD_USERID = "「{text}」不像企业微信 userid（字母、数字和 _ - . @，最多 64 个字符）。"


def userid_arg(ctx: Context, command: str) -> str:
    """The colleague's userid after ``command`` (分配席位 lisi, 设为管理员 lisi)."""
    text = ctx.args.strip()
    if not text:
        raise UserFacingError(ASK_USERID.format(command=command))
    if not USERID_RE.match(text):
        raise UserFacingError(BAD_USERID.format(text=text[:20]))
    return text
