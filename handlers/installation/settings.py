"""安装设置 (admins): the default length of an appointment, the travel time kept free between
two jobs of one installer, and the photos a completion needs."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.installation import phrasings
from bot.installation.rules import Rules, rules_of, save_rules
from bot.nlu.numerals import to_int
from models.tenants import Role

router = Router(__name__, title="安装", module="installation")

SHOWN = (
    "安装设置：预约时长 {window} 分钟（只写开始时间时）；两单之间留路上 {travel} 分钟；"
    "完工至少 {photos} 张现场照片。\n"
    "修改：安装设置 时长 90分钟、安装设置 路上 45分钟、安装设置 照片 3张"
)
SAVED = "已保存。" + SHOWN
USAGE = "请按这个格式写：安装设置 时长 90分钟、安装设置 路上 45分钟 或 安装设置 照片 3张"
BAD_NUMBER = "{what}请写 {low} 到 {high}{unit}，例如：安装设置 {what} {example}{unit}"
_SETTING = re.compile(r"^(?P<key>时长|预约时长|路上|路程|缓冲|照片|完工照片)\s*(?P<value>\S*)$")
_NUMBER = re.compile(
    r"^(?P<n>\d{1,4}|[零一二两三四五六七八九十百]+|半)\s*(?P<hours>个?小时|个?钟头)?(?:分钟|分|张)?$"
)
# 安装设置看一下, 安装设置是什么: the rules, not a change.
_JUST_LOOKING = re.compile(
    r"(?:看看|看一下|看下|查看|查一下|是什么|是怎样的|怎么设的)?[吧呢吗?？。\s]*"
)
# (the rule it sets, what people call it, lowest, highest, unit, an example)
_KEYS = {
    "时长": ("window_minutes", "时长", 15, 720, "分钟", 90),
    "预约时长": ("window_minutes", "时长", 15, 720, "分钟", 90),
    "路上": ("travel_minutes", "路上", 0, 240, "分钟", 45),
    "路程": ("travel_minutes", "路上", 0, 240, "分钟", 45),
    "缓冲": ("travel_minutes", "路上", 0, 240, "分钟", 45),
    "照片": ("required_photos", "照片", 0, 20, "张", 3),
    "完工照片": ("required_photos", "照片", 0, 20, "张", 3),
}


def _show(rules: Rules, template: str = SHOWN) -> str:
    return template.format(
        window=rules.window_minutes, travel=rules.travel_minutes, photos=rules.required_photos
    )


def _changed(rules: Rules, key: str, value: str) -> Rules:
    field, what, low, high, unit, example = _KEYS[key]
    found = _NUMBER.match(value)
    number = _minutes_or_count(found) if found else None
    if number is None or not low <= number <= high:
        raise UserFacingError(
            BAD_NUMBER.format(what=what, low=low, high=high, unit=unit, example=example)
        )
    return replace(rules, **{field: number})


def _minutes_or_count(found: re.Match[str]) -> int | None:
    """2小时 is 120 (minutes), 半小时 30; anything else as written."""
    if found["n"] == "半":
        return 30 if found["hours"] else None
    number = to_int(found["n"], digit_strings=False)
    return number * 60 if number is not None and found["hours"] else number


@router.command(
    "安装设置",
    roles=[Role.ADMIN],
    slots=("key", "value"),
    fill="安装设置 {key?} {value?}",
    examples=phrasings.RULES_EXAMPLES,
    phrasings=phrasings.RULES,
)
async def install_rules(ctx: Context) -> str:
    """（管理员）安装设置：预约时长、两单之间的路上时间、完工照片张数"""
    rules = await rules_of(ctx.tenant.id)
    args = ctx.args.strip()
    if _JUST_LOOKING.fullmatch(args):
        return _show(rules)
    found = _SETTING.match(args)
    if found is None:
        raise UserFacingError(USAGE)
    changed = _changed(rules, found["key"], found["value"])
    await save_rules(ctx.tenant.id, changed)
    return _show(changed, SAVED)
