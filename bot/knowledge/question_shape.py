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
    r"|咋办|咋整|咋弄|咋回事|啥问题|是啥|啥时候|多久|多长时间|哪天|哪些|要几天|收不收|算不算|在不在"
    r"|[要需]什么|该走什么|走什么|哪个|什么信息|什么资料|什么材料"
)
# How-to titles people type as a question: 碳粉盒更换方法, 退款流程.
_ASKING_FOR = re.compile(r"(?:方法|步骤|流程|教程|注意事项)[\s。.!！~～]*$")
_CAN_I = re.compile(r"可以.*吗")
_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def looks_like_question(text: str) -> bool:
    text = text.strip()
    if len(_CONTENT.findall(text)) < 2 or len(text) > MAX_QUESTION:
        return False
    if text.startswith("/"):
        return False  # a slash command nobody knows is no question
    return bool(
        _ENDS_AS_QUESTION.search(text)
        or _ASKING_WORDS.search(text)
        or _CAN_I.search(text)
        or _ASKING_FOR.search(text)
    )
