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


# A fault described without asking (打印机通电了指示灯不亮, 机器完全没反应): a question in all
# but shape. Only a confident article answers it; a request about it (开个工单, 提醒我, 给客户
# …) is for the commands.
_FAULT = re.compile(
    r"不亮|没反应|开不了机|开不起来|开不开机|连不上|打不开|登不上|登录不了|不出纸|卡纸|夹纸|没信号|黑屏|蓝屏"
    r"|死机|报错|没声音|不工作|不转|漏水|不制冷|不制热|不通电|没电|自动关机|重启|闪退|乱码|打印不了"
)
_REQUEST = re.compile(
    r"工单|单子|报修|提醒|记得|帮我|给|客户|跟进|回访|总|经理|老师|师傅|下单|订单"
)
MAX_FAULT = 30


def describes_a_fault(text: str) -> bool:
    text = text.strip()
    if len(text) > MAX_FAULT or _REQUEST.search(text):
        return False
    return _FAULT.search(text) is not None
