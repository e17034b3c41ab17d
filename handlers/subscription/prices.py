"""价目表 and 报价: what things cost, asked in words, without buying anything.

报价 prices a purchase exactly as its command would (the same builders as 续费, 加席位,
开通 and 升级, against the tenant's current term) but stores no order and starts no
confirmation; it ends with the command that buys it, or asks a member to have an admin
send it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.subscription import asks, quote_words
from bot.subscription.money import format_cny
from bot.subscription.phrases import NAMED_MODULE
from bot.subscription.plan import split_change
from bot.subscription.price_list import render as render_price_list
from bot.subscription.purchases import BillingError, Purchase, change_of
from bot.subscription.quote_words import EDITION, MODULE, RENEW, SEATS, PriceQuestion
from bot.subscription.recurring import recurring_total
from handlers.subscription.plan import billing_of, current_term
from handlers.subscription.purchases import (
    Build,
    Shop,
    edition_for,
    module_for,
    priced,
    renewal_for,
    seats_for,
)
from models.subscriptions import OrderKind

router = Router(__name__, title="购买与续费", module="core", open_when_cancelled=True)

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)
QUOTE_HEAD = "【报价】{summary}（仅报价，未下单）"
LATER = "· 升级后{period}付费：每{unit} {price}"
BUY_SELF = "确认要买，请发送「{command}」，会再给你报价确认后下单。"
BUY_ADMIN = "需要的话，请管理员发送「{command}」下单。"
BUILDERS: dict[str, Callable[[str], Build]] = {
    RENEW: renewal_for,
    SEATS: seats_for,
    MODULE: module_for,
    EDITION: edition_for,
}
_ASK_LIST = r"(?:有|发|发个|发一下|给我|看看|看一下|看下|查看)(?:个|一下|一份)?"
_ITEMS = r"(?:各个|各|所有|几个)?(?:版本|模块|套餐包)(?:都|分别|各)?(?:是)?"


@router.command(
    "价目表",
    "价格表",
    "收费标准",
    "price list",
    "prices",
    chats=IN_GROUPS,
    intent="subscription.price_list",
    slots=(),
    examples=(
        "价目表",
        "价格",
        "价格表",
        "收费标准",
        "多少钱",
        "都多少钱",
        "怎么收费",
        "你们怎么收费的",
        "你们的软件怎么卖",
        "怎么收费？",
        "收费标准是什么",
        "价格是多少",
        "有价目表吗",
        "发个价目表",
        "看看价目表",
        "看一下价格",
        "各个版本多少钱",
        "版本都多少钱",
        "模块多少钱",
        "都有哪些版本",
        "有哪些模块可以开",
        "price list",
        "prices",
        "你们都有什么套餐？",
        "标准版和售后版差多少钱？",
        "版本之间价格差多少",
        "软件一年大概要多少钱？",
        "收费是按人头算的吗",
    ),
    phrasings=(
        (r"(?:都|一共|总共)?多少钱[？?。]*", "价目表"),
        (
            r"(?:你们|这个|你们的|咱们)?(?:系统|软件|机器人|产品)?(?:是)?怎么(?:收费|收钱|卖)(?:的)?[？?。]*",
            "价目表",
        ),
        (r"收费标准(?:是什么|是多少|呢)?[？?。]*", "价目表"),
        # 价格 alone, never as a command word: "价格太贵了" is about a customer, not a request.
        (r"价格(?:是多少|怎么样|多少)?[？?。]*", "价目表"),
        (rf"{_ASK_LIST}(?:价目表|价格表|价格)(?:吗|呢)?[？?。]*", "价目表"),
        (rf"{_ITEMS}多少钱[？?。]*", "价目表"),
        (r"都?有(?:哪些|什么)(?:版本|模块|套餐包)(?:可以开|可以买|可选)?[？?。]*", "价目表"),
    ),
)
async def price_list(ctx: Context) -> str:
    """看价目表：版本、模块和套餐包的价格"""
    billing, term, _ = await current_term(ctx)
    return render_price_list(billing.catalog, term.next_plan)


_PRICE = (
    r"(?:的话)?(?:大概|一共|总共)?(?:要|需要|得)?(?:再)?(?:花|补|加|付|掏)?"
    r"(?:多少钱|多少|什么价格?|啥价格?|怎么收费|价格是多少|贵不贵)(?:呢|啊|呀)?[？?。]*"
)
_WANT = r"(?:我|我们)?(?:想|要|想要|打算|如果)?"


@router.command(
    "报价",
    "quote",
    chats=IN_GROUPS,
    intent="subscription.price_quote",
    slots=("what", "count", "duration"),
    examples=(
        "报价 升级 售后服务版",
        "报价 加席位 5",
        "报价 开通 工单",
        "报价 续费 12个月",
        "升级到售后服务版多少钱",
        "升级到专业版一年多少钱",
        "升级成ERP版要多少钱",
        "我想升级到呼叫中心版，多少钱",
        "升级售后版大概多少钱",
        "加5个席位要多少钱",
        "再加5个人多少钱",
        "加两个席位多少钱",
        "增加10个账号要多少钱",
        "开通工单模块多少钱",
        "开通进销存多少钱",
        "开个知识库要多少钱",
        "想开通呼叫中心，多少钱？",
        "加个服务增值包多少钱",
        "续一年多少钱",
        "续费一年要多少钱",
        "续费半年多少钱",
        "续三个月多少钱",
        "续费多少钱",
        "工单模块多少钱",
        "售后服务版多少钱",
        "多开五个账号什么价",
        "想上呼叫中心，大概多少钱",
        "出个报价单，开通订单管理",
        "quote 升级 售后服务版",
    ),
    phrasings=(
        (rf"{_WANT}升级(?:到|成|为)?(?P<what>.+?){_PRICE}", "报价 升级 {what}"),
        (
            rf"{_WANT}(?:再)?(?:加|增加|多加|添|买|多开|再开|开)(?P<count>[0-9零一二两三四五六七八九十百]+)"
            rf"\s*个?\s*(?:席位|席|人|账号|用户)(?:用|使用)?{_PRICE}",
            "报价 加席位 {count}",
        ),
        (rf"{_WANT}(?:再)?续(?:费)?(?P<duration>.*?){_PRICE}", "报价 续费 {duration}"),
        (
            rf"{_WANT}(?:开通|开|加|买|增加|启用)(?:个|一个|上)?(?P<what>.+?)(?:模块|功能)?{_PRICE}",
            "报价 开通 {what}",
        ),
        (rf"(?P<what>[^，,。\s]+?)(?:模块|功能){_PRICE}", "报价 开通 {what}"),
        # 「知识库开一下要多少钱」: the module first, then opening it
        (
            rf"(?P<what>{NAMED_MODULE})(?:模块|功能)?(?:开|开通|上|加)(?:一下|下|上)?{_PRICE}",
            "报价 开通 {what}",
        ),
        (
            # 「想用进销存，什么价」「出个报价单，开通安装服务」
            rf"{_WANT}(?:用|用上|开通|开|上)(?P<what>{NAMED_MODULE})(?:模块|功能)?[，,]\s*{_PRICE}",
            "报价 开通 {what}",
        ),
        (
            rf"(?:给个|出个|来个|做个|出一份|给一份)?报价(?:单)?[，,：:\s]*(?:开通|开|加)(?P<what>{NAMED_MODULE})"
            r"(?:模块|功能)?[？?。]*",
            "报价 开通 {what}",
        ),
        (
            r"(?:给个|出个|来个|做个)报价(?:单)?[，,：:\s]*(?:加|增加|多加)(?:席位)?\s*"
            r"(?P<count>[0-9零一二两三四五六七八九十百]+)\s*个?\s*(?:席位|席|人|账号)?[？?。]*",
            "报价 加席位 {count}",
        ),
        (rf"(?P<what>[^，,。\s]+?版){_PRICE}", "报价 升级 {what}"),
    ),
)
async def price_quote(ctx: Context) -> str:
    """问价格：升级、开通、加席位或续费要多少钱（只报价，不下单），例如：报价 升级 售后服务版"""
    try:
        question = quote_words.parse(billing_of(ctx).catalog, ctx.args)
    except BillingError as exc:
        raise UserFacingError(exc.message) from exc
    shop, purchase = await priced(ctx, BUILDERS[question.action](question.item))
    rows = [QUOTE_HEAD.format(summary=purchase.summary), purchase.quote.render()]
    later = _later(shop, purchase, question)
    if later:
        rows.append(later)
    ask = BUY_SELF if ctx.is_admin else BUY_ADMIN
    rows.append(ask.format(command=_buy_command(question, purchase)))
    return "\n".join(rows)


def _buy_command(question: PriceQuestion, purchase: Purchase) -> str:
    """The purchase command that makes this quote for real, as people would type it."""
    if question.action == SEATS:
        return f"{SEATS} {asks.seat_count(question.item)}"
    if question.action == RENEW:
        return f"{RENEW} {question.item}".strip()
    return purchase.summary


def _later(shop: Shop, purchase: Purchase, question: PriceQuestion) -> str:
    """ "升级到售后服务版一年多少钱": the changed plan's price for the period asked about."""
    period = question.period
    if period is None or purchase.kind is not OrderKind.CHANGE:
        return ""
    after = split_change(shop.catalog, shop.term.next_plan, change_of(purchase.request))
    total = recurring_total(shop.catalog, after.next_period, period.code)
    return LATER.format(period=period.name, unit=period.unit, price=format_cny(total))
