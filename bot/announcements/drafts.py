"""Reading a draft: ``标题：… 内容：…``, a first line as the title, or one sentence whose
start becomes the title (发个公告，告诉大家下周起支持安装服务)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dispatch.errors import UserFacingError

MAX_TITLE = 40
MAX_BODY = 1000
TITLE_FROM_BODY = 20  # a title cut from the body: short enough for the card's headline
USAGE = "请按这个格式写：新公告 标题：4.2 版上线 内容：工单支持批量派单……"
TITLE_TOO_LONG = "标题最多 {limit} 个字，现在是 {length} 个字。"
BODY_TOO_LONG = "内容最多 {limit} 个字，现在是 {length} 个字。"
_MARKED = re.compile(
    r"^\s*(?:标题|题目)\s*[：:]\s*(?P<title>.*?)\s*[，,；;]?\s*(?:内容|正文)\s*[：:]\s*(?P<body>.*)$",
    re.S,
)
_TITLE_ONLY = re.compile(r"^\s*(?:标题|题目)\s*[：:]")
_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
_EDGES = " \t\n，,。：:；;"
_LEADING = " \t\n，,：:；;"  # a body keeps its closing 。


def _body(text: str) -> str:
    return text.lstrip(_LEADING).rstrip()


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    body: str


def _title_from(body: str) -> str:
    first = _SENTENCE_END.split(body, maxsplit=1)[0].strip(_EDGES)
    return first if len(first) <= TITLE_FROM_BODY else first[: TITLE_FROM_BODY - 1] + "…"


def read_draft(text: str) -> Draft:
    text = text.strip()
    marked = _MARKED.match(text)
    if marked is not None:
        title, body = marked["title"].strip(_EDGES), _body(marked["body"])
    elif _TITLE_ONLY.match(text):
        raise UserFacingError(USAGE)  # a title said, its content not
    elif "\n" in text:
        first, rest = text.split("\n", 1)
        title, body = first.strip(_EDGES), _body(rest)
    else:
        body = _body(text)
        title = _title_from(body)
    if not title or not body:
        raise UserFacingError(USAGE)
    if len(title) > MAX_TITLE:
        raise UserFacingError(TITLE_TOO_LONG.format(limit=MAX_TITLE, length=len(title)))
    if len(body) > MAX_BODY:
        raise UserFacingError(BODY_TOO_LONG.format(limit=MAX_BODY, length=len(body)))
    return Draft(title, body)
