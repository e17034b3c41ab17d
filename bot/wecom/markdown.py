"""Plain text made safe to show where WeCom renders markdown: the group bot's answers, the
group webhook robot and markdown messages.

Every reply the bot writes is plain text with user and customer words in it (a survey
comment, a question, a customer's name). WeCom's markdown turns ``[text](url)`` into a live
link, ``<font>`` into colour, ``**`` into bold and a leading ``#`` or ``>`` into a heading or
quote, so a customer could make the bot post a link of their choosing in a group. WeCom
documents no backslash escape, so the syntax is broken with a zero-width space instead: the
text reads exactly as typed, nothing in it becomes markup, and URLs stay unclickable (links
appear only where the bot makes them, and it makes none in text it escapes).
"""

from __future__ import annotations

import re

_BREAK = "\u200b"  # zero-width space: invisible, and no markdown syntax survives it
# Sequences that start markup anywhere in a line: a link's "](", bold "**", an HTML tag or
# autolink "<", and a URL's "://" or "www." that clients turn into links. (Inline code needs
# nothing: a code span shows its text literally.)
# Each pattern matches the character after which the break goes; "***" gets two.
_INLINE = re.compile(r"\](?=\()|\*(?=\*)|_(?=_)|<|:(?=//)|(?i:w)(?=(?i:ww)\.)")
# Markup that only counts at the start of a line: a heading or a quote.
_LINE_START = re.compile(r"^([ \t]*)(?=[#>])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """``text`` shown literally by a markdown renderer: same characters, no markup."""
    escaped = _INLINE.sub(lambda m: m.group(0) + _BREAK, text)
    return _LINE_START.sub(lambda m: m.group(1) + _BREAK, escaped)
