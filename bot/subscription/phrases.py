"""Pieces the subscription commands' phrasings share (``bot.dispatch.phrasing``).

Every phrasing fullmatches the whole (normalised) text, so these only ever describe the
edges of a request: who wants it, a polite ending, a number of seats.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.subscription.catalog_types import Catalog, Named

# A question or a request's ending: "吗", "呢", "？", "吧。"
END = r"(?:吗|呢|啊|呀|吧|了)?[？?。.!！~～]*"
# "我们想", "我要", "打算": who wants it, before the verb.
# A reason said first, before a comma: 快到期了，续费一下 / 新来了4个同事，加4个席位.
BECAUSE = r"(?:[^，,。；;！!？?\s]{1,24}[，,]\s*)?"
WANT = rf"{BECAUSE}(?:我|我们|咱们|公司)?(?:也)?(?:想|要|想要|需要|打算|准备)?"
# "看看", "查一下", "瞧瞧": asking to see something.
LOOK = r"(?:查|看|查看|看看|看下|瞧瞧|给我看看|我想看看|我要看)?(?:一下|下)?"
# A count as people write it: 5, 五, 两, 十二.
COUNT = r"[0-9零一二两三四五六七八九十百]+"
# A seat, however it is called.
SEAT = r"(?:席位|席|人|账号|用户|座席|位子)"
# A time span: 一年, 12个月, 半年, 3个季度, 30天.
DURATION = rf"(?:{COUNT}\s*个?\s*(?:年|月|季度|季|天)|半年)"
# A name or userid in a sentence: no spaces or sentence punctuation.
WHO = r"[^\s，,。；;：:！!？?]+?"
# A catalog item's name in a sentence (工单, 售后服务版, ERP): no spaces or punctuation.
ITEM = r"[^\s，,。；;：:！!？?]+?"
# A billing period as people say it before 付: 按年, 年, 半年, 按季度, 月.
PERIOD = r"(?:按年|按半年|按季度|按季|按月|按天|半年|年|季度|季|月)"
# The words the packaged catalog's service items go by, for "有上门服务吗" and "远程支持多少钱";
# the item itself is still looked up in the tenant's catalog.
SERVICE = r"远程支持|远程协助|上门服务|现场服务|安装部署|实施服务|部署|实施|版本升级服务|升级服务"
# A service item named in a sentence: ends the way service names do.
SERVICE_NAME = r"[^\s，,。；;：:！!？?\d]*?(?:服务|支持|协助|部署|实施)"
# The packaged catalog's modules by their full names: said alone with 开 or 不用了 ("我们要开
# 知识库", "进销存不用了，停了吧") they can only mean the module, unlike a bare MODULE ("开会").
NAMED_MODULE = r"(?:售后工单|工单管理|进销存|呼叫中心|订单管理|知识库|安装服务|安装派工|客户管理)"
# A module or bundle in a sentence that does not name a command word ("把知识库停了"): short,
# no digits, no 的 and no ordinal, so "把第12条知识停用" (an article) is never taken for one;
# nor a supplier, a product or a person ("把供应商晨光停掉", "启用商品A4纸").
MODULE = (
    r"(?!第|同事|员工|客户(?!管理))"
    r"(?:(?!供应商|商品|货品|仓库)[^\s，,。；;：:！!？?\d的条篇号]){1,8}?"
)


def slot_names(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """What the catalog's items are called, for the guesser's slots (``Kind.NAMED``): an
    edition to change to, a module or bundle to add or drop, a billing period, a service.
    One-character aliases (年, 月) are left out: they sit inside every other word."""

    def called(items: Iterable[Named]) -> tuple[str, ...]:
        return tuple(n for item in items for n in (item.name, *item.aliases) if len(n) > 1)

    return {
        "edition": called(catalog.editions),
        "item": called((*catalog.modules, *catalog.bundles)),
        "period": called(catalog.periods),
        "service": called(catalog.services),
        "what": called((*catalog.editions, *catalog.modules, *catalog.bundles)),  # 报价
    }
