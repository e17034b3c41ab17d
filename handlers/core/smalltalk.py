"""Hello, thanks, and "what can you do": a short friendly answer with three things to try,
chosen for this person's role and the tenant's plan."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from handlers.core.offers import offered_routes, starters

router = Router(__name__, title="通用", tier=Tier.RECOGNISED, keeps_steps=True)

_END = r"[呀啊呢吧哈嘛啦~～!！。.？?\s]*"
# Calling the bot by what it is: 嗨，机器人 / 你好小助手.
_YOU = r"(?:[，,]?\s*(?:机器人|小助手|助手|小助理|小秘书))?"
GREETING = re.compile(
    rf"^(?:你好|您好|嗨|哈喽|hi|hello|在吗|在不在|早|早上好|上午好|下午好|晚上好){_YOU}{_END}$",
    re.I,
)
THANKS = re.compile(
    rf"^(?:(?:好的?|收到|ok|太好了|好嘞|可以了?|行)[，,]?\s*)?"
    rf"(?:谢谢|多谢|感谢|谢了|辛苦了|thx|thanks|thank you)+"
    rf"(?:你|您|帮忙)?{_END}$",
    re.I,
)
ABILITIES = re.compile(
    rf"^(?:你)?都?(?:能|会|可以)(?:干|做|帮我做|帮我干)?(?:啥|什么|些什么|些啥|哪些事)(?:呢|啊)?{_END}$"
    rf"|^(?:你是谁|怎么用你?|有(?:什么|哪些)功能|你有什么(?:用|本事|功能)){_END}$"
    # who it is: 你叫什么名字, 你是真人还是机器人
    rf"|^你?(?:叫什么(?:名字)?|是真人还是机器人|是真人吗|是机器人吗|是人吗|是什么){_END}$"
)
# Said in passing: a word back, no list of things to try.
FAREWELL = re.compile(
    rf"^(?:好的?[，,]?\s*)?(?:我?先(?:下|撤|走)了[，,]?\s*)?(?:拜拜|再见|晚安|明天见|回头见|下次见|bye)"
    rf"{_END}$",
    re.I,
)
NOD = re.compile(
    rf"^(?:好的?|好嘞|收到|嗯+|ok|okay|哈+|👍|👌|[真太]?棒了?|你真棒|厉害|知道了|明白了?|了解|懂了)"
    rf"{_END}$",
    re.I,
)

HELLO = "你好！我是你的客户助手，直接用平常的话跟我说就行，比如："
WELCOME = "不客气！还有事随时叫我，比如："
ABLE = "我能帮你管客户、记跟进提醒、处理工单、查知识库……直接用平常的话说就行，比如："
FOOT = "发送「帮助」查看全部。"
BYE = "好的，回头见！有事随时叫我。"
NODDED = "好的👌 有事随时叫我。"
SMALL_TALK = (GREETING, THANKS, ABILITIES, FAREWELL, NOD)


@router.message(
    Regex(re.compile("|".join(p.pattern for p in SMALL_TALK), re.I)),
    examples=("你好", "在吗", "谢谢", "辛苦了", "你能干啥", "怎么用", "拜拜", "收到", "👍"),
)
async def smalltalk(ctx: Context) -> str:
    text = ctx.update.text.strip()
    if FAREWELL.match(text):
        return BYE
    if NOD.match(text):
        return NODDED
    head = WELCOME if THANKS.match(text) else ABLE if ABILITIES.match(text) else HELLO
    tries = starters(await offered_routes(ctx))
    return "\n".join([head, *(f"· {example}" for example in tries), FOOT])
