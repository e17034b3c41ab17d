"""Hello, thanks, and "what can you do": a short friendly answer with three things to try,
chosen for this person's role and the tenant's plan."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from handlers.core.offers import offered_routes, starters

router = Router(__name__, title="通用", keeps_steps=True)

_END = r"[呀啊呢吧哈嘛~～!！。.？?\s]*"
GREETING = re.compile(
    rf"^(?:你好|您好|嗨|哈喽|hi|hello|在吗|在不在|早|早上好|上午好|下午好|晚上好){_END}$", re.I
)
THANKS = re.compile(
    rf"^(?:好的?[，,]?\s*)?(?:谢谢|多谢|感谢|谢了|辛苦了|thx|thanks|thank you){_END}(?:你)?{_END}$",
    re.I,
)
ABILITIES = re.compile(
    rf"^(?:你)?(?:能|会|可以)(?:干|做|帮我做|帮我干)?(?:啥|什么|些什么|哪些事)(?:呢|啊)?{_END}$"
    rf"|^(?:你是谁|怎么用你?|有(?:什么|哪些)功能|你有什么用){_END}$"
)

HELLO = "你好！我是你的客户助手，直接用平常的话跟我说就行，比如："
WELCOME = "不客气！还有事随时叫我，比如："
ABLE = "我能帮你管客户、记跟进提醒、处理工单、查知识库……直接用平常的话说就行，比如："
FOOT = "发送「帮助」查看全部。"


@router.message(
    Regex(re.compile("|".join(p.pattern for p in (GREETING, THANKS, ABILITIES)), re.I)),
    examples=("你好", "您好", "在吗", "谢谢", "辛苦了", "你能干啥", "你会什么", "怎么用"),
)
async def smalltalk(ctx: Context) -> str:
    text = ctx.update.text.strip()
    head = WELCOME if THANKS.match(text) else ABLE if ABILITIES.match(text) else HELLO
    tries = starters(await offered_routes(ctx))
    return "\n".join([head, *(f"· {example}" for example in tries), FOOT])
