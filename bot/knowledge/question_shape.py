"""Whether free text reads as a question (``退款流程是怎样的``, ``打印机卡纸怎么办？``).

Only the shape is judged here; whether the knowledge base can answer it is the retrieval's
call. The words are the ones people ask with, not every interrogative: ``几`` or ``什么``
alone also appear in statements ("下午几点都行", "没什么问题").
"""

from __future__ import annotations

import re

MAX_QUESTION = 100  # longer text is a message, a report or a pasted document
_ENDS_AS_QUESTION = re.compile(r"(?:[?？]|吗|呢|么)[\s。.!！~～]*$")
_ASKING_WORDS = re.compile(
    r"怎么|如何|怎样|是什么|为什么|为啥|哪里|哪儿|多少|能不能|可不可以|是不是|有没有|是否|什么时候"
)
_CAN_I = re.compile(r"可以.*吗")
_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def looks_like_question(text: str) -> bool:
    text = text.strip()
    if len(_CONTENT.findall(text)) < 2 or len(text) > MAX_QUESTION:
        return False
    if text.startswith("/"):
        return False  # a slash command nobody knows is no question
    return bool(_ENDS_AS_QUESTION.search(text) or _ASKING_WORDS.search(text) or _CAN_I.search(text))
