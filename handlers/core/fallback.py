"""Text nothing understood for sure: say what was understood, and offer the closest actions.

Never a flat "没听懂": the reply names what it recognised (a customer, a phone number, a
time), then offers up to three commands the sentence is closest to (``bot.nlu.similarity``)
among those this person may run on this plan, as a numbered choice; answering with the
number shows how to say that command. With nothing close, it offers three things to try.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.dispatch.context import Context, RouteInfo
from bot.dispatch.filters import MsgTypeIs, Regex, StateIs
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.nlu.names import find_reference
from bot.nlu.segment import Segmenter
from bot.nlu.similarity import ExampleIndex
from bot.nlu.timeparse import parse_time
from handlers.core.offers import canonical_example, natural_example, offered_routes, starters

# The last word: it takes whatever no other route took.
router = Router(__name__, title="通用", tier=Tier.FALLBACK)
# Answering the numbered choice is a step of its own (it only claims a number).
choice_router = Router(f"{__name__}.choice", title="通用")


class FallbackStep(StrEnum):
    PICK_SUGGESTION = "core_pick_suggestion"


NOT_UNDERSTOOD = "没听懂「{text}」。"
UNDERSTOOD = "我听出了：{parts}。"
SUGGEST_HEAD = "你是想："
SUGGEST_FOOT = "回复序号，我告诉你怎么说；或者换个说法。"
TRY_HEAD = "可以这样跟我说："
HELP_FOOT = "发送「帮助」查看我能做什么。"
HOW_TO = "{label}\n这样发：{canonical}"
ALSO = "也可以说：{natural}"
NO_SUCH_CHOICE = "没有第 {number} 项，请回复 1–{count} 之间的序号，或者换个说法。"
TEXT_ONLY = "我目前只看得懂文字消息。发送「帮助」查看我能做什么。"
ECHO_LIMIT = 20
SUGGEST_MIN = 0.3  # below this a "closest" command is a guess nobody should see
SUGGEST_LIMIT = 3
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


# Sentences that are not a request to the bot at all (Rasa's out_of_scope). They compete with
# the commands' examples in the similarity stage (bot.dispatch.guess), so "今天天气不错" is not
# taken for 今天跟进 just because both say 今天.
OUT_OF_SCOPE = (
    "今天天气不错", "外面下雨了", "中午吃什么", "晚上一起吃饭吗", "我先下班了", "周末去哪玩",
    "这个月好累啊", "老板今天心情不好", "咖啡机坏了吗", "谁有充电宝", "会议室在哪",
    "明天放假吗", "我饿了", "讲个笑话",
    "今天星期几", "现在几点了", "电脑好卡", "网速太慢了", "打印纸用完了吗", "快递到了",
    "我在开会", "等会儿再说", "刚才说到哪了", "这个怎么搞", "随便问问", "测试一下",
    "abc", "123", "是吗", "真的假的", "我也不知道", "今天加班吗",
    "下午开会别迟到", "新来的同事叫什么", "年终奖什么时候发",
    # Office life that uses the commands' words in passing: none of it is a request.
    "采购部今天聚餐", "仓库的空调又坏了", "隔壁组工单多到做不完", "这周订单好像少了点",
    "物业说明天来安装门禁", "我在听一个知识分享会", "健身房会员要续费了", "手机该升级系统了",
    "会议室的席位牌没摆", "群成员太多了看不过来", "家里宽带到期了要续", "奶茶店的满意度调查好长",
    "外卖又送晚了", "好久没跟老同学联系了", "快递员提醒我去拿件",
    "日报写完终于可以下班", "蓝牙耳机连不上", "电梯里信号不好",
    "客户太难搞了，心累", "下午的培训讲的是报价技巧", "新版本的微信界面变了", "停车场满了",
    "周五团建去爬山", "地铁又晚点了", "今天的午饭不错", "同事生日要不要凑份子",
    "月底了大家冲一冲业绩", "这个季度的目标定了吗", "明天降温多穿点",
    "项目群里在吵架", "领导说周会改到下午", "茶水间没热水了", "电脑又蓝屏了",
    "有没有人带伞", "公司年会抽奖抽到个保温杯", "打印机排队好多人", "销售冠军请喝奶茶",
    "奖金还没发下来", "报销款还没到账", "快递还没到，急死了", "供货商请我们吃饭",
    "仓库那边今天盘点好累", "采购部的小王请假了", "家里的电话费该交了", "今晚电话会开到几点",
    "安装个软件都这么慢", "上门推销的又来了",
    # More of the same, each naming what a command is about without asking for it.
    "楼下奶茶店的会员卡要升级了", "视频会员又自动续费了",
    "这个客户的狗好可爱", "工单系统的培训听得我想睡觉", "打印机卡纸卡得我想哭",
    "订单太多了今晚又要加班", "快递小哥说明天才能发货", "网购的东西退款还没到",
    "仓库阿姨做的饭真好吃", "新来的实习生很会聊客户", "隔壁部门又招人了，席位都坐满了",
    "会议室的投影仪又连不上了", "知识竞赛我们组拿了第二", "这周的周报标签乱七八糟的",
    "老客户送了一箱橙子", "师傅说空调下午来安装", "刚才那个电话是推销的",
    "客户群里有人发红包", "年会节目还没排好", "工牌忘带了进不去门", "今天的外卖备注写错了",
    "这个季度的库存盘点终于结束了，累死",
    "领导又在群里催进度", "打卡时间改成九点半了", "电话销售真不好做",
    "周末陪客户打了场球", "这款手机的价格又降了", "合同模板在共享盘里",
    # Where one has been with a customer, with nothing the customer said or wants: no note.
    "陪王总喝完茶了，在回来的路上", "刚送李总去机场", "和赵经理吃了个午饭，准备回去",
    "跟刘总打完球了，累", "陈姐请我们喝咖啡", "在孙总公司楼下等他",
    "下午陪周总逛了展会", "跟何经理约了晚上吃饭", "刚到吴总那里，还在等",
    # The newer modules' words said in passing: calls, installation, stock, orders, suppliers.
    "今天电话响个不停，头都大了", "安装师傅的车又被贴罚单了", "仓库门口的叉车挡路了",
    "供应商的业务员人挺好的", "这批货的包装真好看", "订单系统的培训安排在周四",
    "新来的安装工挺能干", "打电话的时候信号老断", "库房钥匙在谁那儿", "入库单的打印机没墨了",
    "采购小刘今天请假", "发货的快递公司换了吗", "老板说下个月要盘点，大家有个准备",
    "客服电话的彩铃换了", "师傅们中午在哪吃饭", "这个季度出货量还行",
    "呼叫中心的耳机坏了两个", "门店的货架要重新摆", "安装工具箱忘在车上了",
)  # fmt: skip


@router.message(intent="core.not_understood", examples=OUT_OF_SCOPE)
async def not_understood(ctx: Context) -> str:
    said = (ctx.said or ctx.update.text).strip()  # what they typed, not a tidied version
    echo = said if len(said) <= ECHO_LIMIT else said[:ECHO_LIMIT] + "…"
    lines = [NOT_UNDERSTOOD.format(text=echo)]
    parts = _understood_parts(ctx, ctx.update.text)
    if parts:
        lines.append(UNDERSTOOD.format(parts="、".join(parts)))
    routes = await offered_routes(ctx)
    offered = await closest_lines(ctx, routes=routes)
    if offered:
        return "\n".join(lines + offered + [SUGGEST_FOOT])
    lines.append(TRY_HEAD)
    lines += [f"· {example}" for example in starters(routes)]
    lines.append(HELP_FOOT)
    return "\n".join(lines)


async def closest_lines(
    ctx: Context, *, head: str = SUGGEST_HEAD, routes: list[RouteInfo] | None = None
) -> list[str]:
    """Up to three commands the text is closest to, as a numbered choice the next message
    can answer with its number; no lines when nothing is close."""
    if routes is None:
        routes = await offered_routes(ctx)
    suggestions = _closest(ctx, routes)
    if not suggestions:
        return []
    if ctx.conversation is not None:
        chosen = [route.intent for route in suggestions]
        await ctx.conversation.set(FallbackStep.PICK_SUGGESTION, {"intents": chosen})
    return [head, *(f"{n}. {label(route)}" for n, route in enumerate(suggestions, 1))]


@choice_router.message(StateIs(FallbackStep.PICK_SUGGESTION, quiet=True), Regex(r"^\s*([1-9])\s*$"))
async def pick_suggestion(ctx: Context) -> str:
    assert ctx.conversation is not None and ctx.match is not None
    intents = list(ctx.conversation.data.get("intents", []))
    number = int(ctx.match.group(1))
    if number > len(intents):
        return NO_SUCH_CHOICE.format(number=number, count=len(intents))
    await ctx.conversation.clear()
    route = next((r for r in ctx.routes if r.intent == intents[number - 1]), None)
    if route is None:
        return HELP_FOOT
    answer = HOW_TO.format(label=label(route), canonical=canonical_example(route))
    natural = natural_example(route)
    if natural != canonical_example(route):
        answer += "\n" + ALSO.format(natural=natural)
    return answer


@router.on(MsgTypeIs("image", "voice", "video", "file", "location", "link"))
async def not_text(ctx: Context) -> str:
    return TEXT_ONLY


def label(route: RouteInfo) -> str:
    """A command as one line: its help without the example, else how people say it."""
    if route.help:
        return route.help.split("，例如")[0].split("：")[0] if "例如" in route.help else route.help
    return natural_example(route)


def _closest(ctx: Context, routes: list[RouteInfo]) -> list[RouteInfo]:
    index: ExampleIndex | None = ctx.deps.get("examples")
    if index is None or not routes:
        return []
    by_intent = {route.intent: route for route in routes if route.commands}
    matches = index.closest(ctx.update.text, by_intent, SUGGEST_LIMIT)
    return [by_intent[m.intent] for m in matches if m.score >= SUGGEST_MIN]


def _understood_parts(ctx: Context, text: str) -> list[str]:
    names: list[str] = []
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    if segmenter is not None:
        names += segmenter.names_in(text)
    reference = find_reference(text)  # 张总, 李经理: people named the way sales people talk
    if reference is not None:
        names.append(reference.text)
    parts = [f"「{name}」" for name in dict.fromkeys(names)]
    parts += [f"电话 {phone}" for phone in _PHONE.findall(text)]
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    when = parse_time(text, now)
    if when is not None:
        local = when.start.astimezone(ctx.tenant.timezone)
        clock = f" {local:%H:%M}" if when.grain in ("hour", "minute", "second") else ""
        parts.append(f"时间 {local.month}月{local.day}日{clock}")
    return parts
