"""商品设置: an admin's switches on one product. There is one, 负库存: whether stock-outs of
the product may take a balance below zero (goods sold before they are booked in).

Off by default. The setting lives on the product row and the guarded stock-out reads it in
its own UPDATE (``bot.erp.stock``), so turning it off takes effect at the next stock-out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.dispatch.errors import UserFacingError
from models.products import Product

USAGE = (
    "请按这个格式写：商品设置 商品 允许负库存（或 不允许负库存），例如：商品设置 A4纸 允许负库存"
)
# Refusing words first: "不允许" must not read as 允许 with a stray 不 on the name.
OFF_WORDS = r"不允许|不可以|不能|禁止|关闭|关掉|取消"
ON_WORDS = r"允许|可以|开启|打开"
SETTING_TEXT = rf"(?:{OFF_WORDS}|{ON_WORDS})\s*(?:出现)?(?:负库存|库存为负数?|负数库存)"
_SETTING = re.compile(
    rf"^(?:(?P<off>{OFF_WORDS})|(?P<on>{ON_WORDS}))\s*(?:出现)?(?:负库存|库存为负数?|负数库存)$"
)
_ARGS = re.compile(r"^(?P<name>\S+?)\s*(?P<setting>(?:" + SETTING_TEXT + r"))?$")


@dataclass(frozen=True, slots=True)
class SettingAsked:
    name: str
    allow_negative: bool | None  # None: only show the settings


def read_setting(text: str) -> SettingAsked:
    found = _ARGS.match(text.strip())
    if found is None:
        raise UserFacingError(USAGE)
    setting = found["setting"]
    if setting is None:
        return SettingAsked(found["name"], None)
    switch = _SETTING.match(setting.replace(" ", ""))
    if switch is None:
        raise UserFacingError(USAGE)
    return SettingAsked(found["name"], switch["on"] is not None)


async def save_negative(product: Product, allowed: bool, now: datetime) -> bool:
    """Whether it changed."""
    changed = await Product.filter(id=product.id, allow_negative=not allowed).update(
        allow_negative=allowed, updated_at=now
    )
    product.allow_negative = allowed
    return changed == 1


def negative_words(product: Product) -> str:
    if product.allow_negative:
        return "允许负库存（库存不够也能出库，余额可以为负）"
    return "不允许负库存（库存不够的出库会被拒绝）"
