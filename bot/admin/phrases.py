"""Pieces the admin commands' phrasings share (``bot.dispatch.phrasing``)."""

from __future__ import annotations

END = r"(?:吗|呢|啊|呀|吧|了)?[？?。.!！~～]*"
LOOK = r"(?:查|看|查看|看看|看下|瞧瞧|给我看看|我想看看|我要看)?(?:一下|下)?"
# A colleague's name or userid in a sentence: no spaces or sentence punctuation.
WHO = r"[^\s，,。；;：:！!？?]+?"
# The same, when the sentence gives someone a role: "让李四别当管理员了" takes one away.
GRANTEE = r"[^\s，,。；;：:！!？?不别]+?"
