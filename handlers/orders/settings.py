"""订单设置 (admins): overpayment, default payment terms, reminder days."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.nlu.numerals import to_int
from bot.orders import phrasings
from bot.orders.rules import MAX_REMIND_DAYS, MAX_TERMS_DAYS, Rules, rules_of, save_rules
from models.tenants import Role

router = Router(__name__, title="订单", module="orders")

SHOWN = (
    "订单设置：允许超收 {over}；默认账期 {terms} 天（没写付款日期时每期间隔）；"
    "回款提醒 到期前 {remind} 天。\n"
    "修改：订单设置 允许超收 是/否、订单设置 账期 45天、订单设置 提醒 5天"
)
SAVED = "已保存。" + SHOWN
USAGE = "请按这个格式写：订单设置 允许超收 是、订单设置 账期 45天 或 订单设置 提醒 5天"
BAD_DAYS = "{what}请写 {low} 到 {high} 天，例如：订单设置 {what} {example}天"
YES = frozenset({"是", "允许", "开", "打开", "开启", "可以", "yes", "on", "true"})
NO = frozenset({"否", "不允许", "关", "关闭", "不可以", "不", "no", "off", "false"})
_SETTING = re.compile(
    r"^(?P<key>允许超收|超收|预收|账期|付款期限|提醒|回款提醒|提前提醒)\s*(?P<value>\S*)$"
)
_DAYS = re.compile(r"^(?:提前)?(?P<n>\d{1,3}|[零一二两三四五六七八九十百]+)\s*(?:天|日)?$")


def _show(rules: Rules, template: str = SHOWN) -> str:
    return template.format(
        over="是" if rules.allow_overpayment else "否",
        terms=rules.terms_days,
        remind=rules.remind_days,
    )


def _days(value: str, what: str, low: int, high: int, example: int) -> int:
    found = _DAYS.match(value)
    number = to_int(found["n"], digit_strings=False) if found else None
    if number is None or not low <= number <= high:
        raise UserFacingError(BAD_DAYS.format(what=what, low=low, high=high, example=example))
    return number


def _changed(rules: Rules, key: str, value: str) -> Rules:
    if key in ("允许超收", "超收", "预收"):
        if value.lower() not in YES | NO:
            raise UserFacingError(USAGE)
        return replace(rules, allow_overpayment=value.lower() in YES)
    if key in ("账期", "付款期限"):
        return replace(rules, terms_days=_days(value, "账期", 1, MAX_TERMS_DAYS, 45))
    return replace(rules, remind_days=_days(value, "提醒", 0, MAX_REMIND_DAYS, 5))


@router.command(
    "订单设置",
    roles=[Role.ADMIN],
    slots=("key", "value"),
    fill="订单设置 {key?} {value?}",
    examples=phrasings.RULES_EXAMPLES,
    phrasings=phrasings.RULES,
)
async def order_rules(ctx: Context) -> str:
    """（管理员）订单设置：允许超收、默认账期、回款提醒天数"""
    rules = await rules_of(ctx.tenant.id)
    args = ctx.args.strip()
    if not args:
        return _show(rules)
    found = _SETTING.match(args)
    if found is None:
        raise UserFacingError(USAGE)
    changed = _changed(rules, found["key"], found["value"])
    await save_rules(ctx.tenant.id, changed, ctx.update.user_id or "", ctx.clock.now())
    return _show(changed, SAVED)
