"""报价 …: what a price question asks for, before anything is priced.

``报价 升级 售后服务版 一年`` names the purchase command (升级, 开通, 加席位, 续费) and what it
takes; without a command word the item says which one it is (an edition, a module or bundle,
a seat count, a duration). A trailing duration on a change ("升级到专业版一年") asks what the
changed plan costs for that long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.subscription import asks
from bot.subscription.catalog import BillingPeriod, Catalog, UnknownItemError
from bot.subscription.purchases import BillingError

RENEW, SEATS, MODULE, EDITION = "续费", "加席位", "开通", "升级"
ACTIONS = (SEATS, RENEW, MODULE, EDITION)
USAGE = (
    "想问什么的价格？例如：升级到售后服务版多少钱、加5个席位多少钱、开通工单多少钱、续一年多少钱。"
    "发送「价目表」看全部价格。"
)
_DURATION_TAIL = re.compile(
    r"^(?P<item>.*?)\s*(?P<duration>(?:\d+|[一二两三四五六七八九十]+)?\s*个?\s*(?:年|月|季度|季)|半年)$"
)


@dataclass(frozen=True, slots=True)
class PriceQuestion:
    action: str  # one of ACTIONS
    item: str  # what the purchase command takes
    period: BillingPeriod | None = None  # "… 一年": the changed plan's price for that long


def parse(catalog: Catalog, text: str) -> PriceQuestion:
    words = text.split(maxsplit=1)
    if not words:
        raise BillingError(USAGE)
    head, rest = words[0], words[1] if len(words) > 1 else ""
    for action in ACTIONS:
        if head == action or (head.startswith(action) and not rest):
            item = rest if head == action else head.removeprefix(action)
            return _question(catalog, action, item.strip())
    return _question(catalog, _action_for(catalog, text.strip()), text.strip())


def _question(catalog: Catalog, action: str, item: str) -> PriceQuestion:
    if action == RENEW:
        return PriceQuestion(action, item)
    tail = _DURATION_TAIL.match(item)
    if tail is None or not tail.group("item").strip():
        return PriceQuestion(action, item)
    return PriceQuestion(
        action, tail.group("item").strip(), _period_of(catalog, tail.group("duration"))
    )


def _period_of(catalog: Catalog, text: str) -> BillingPeriod | None:
    """The catalog's billing period exactly as long as ``text`` (一年 → 按年), if any."""
    duration = asks.parse_duration(text)
    if duration is None:
        return None
    for period in catalog.periods:
        if (period.months, period.days) == (duration.months, duration.days):
            return period
    return None


def _action_for(catalog: Catalog, item: str) -> str:
    """报价 售后服务版 / 报价 工单 / 报价 5个席位 / 报价 一年: which purchase it means."""
    if asks.parse_duration(item) is not None:
        return RENEW
    bare = _DURATION_TAIL.match(item)
    name = bare.group("item").strip() if bare and bare.group("item").strip() else item
    for spelling in asks.spellings(name, "版"):
        try:
            catalog.edition(spelling)
        except UnknownItemError:
            continue
        return EDITION
    if re.fullmatch(r"(?:\d+|[一二两三四五六七八九十百]+)\s*个?\s*(?:席位|席|人|个)?", item):
        return SEATS
    try:
        asks.item_change(catalog, name)
    except BillingError:
        raise BillingError(USAGE) from None
    return MODULE
