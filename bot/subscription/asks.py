"""What admins type after a purchase command, parsed: 续费 12个月, 加席位 五, 开通 工单.

Bad input raises ``BillingError`` with a short Chinese message that says what to type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.numerals import to_int
from bot.subscription.catalog import (
    BillingPeriod,
    Catalog,
    Edition,
    ServiceItem,
    UnknownItemError,
)
from bot.subscription.catalog_types import mentioned
from bot.subscription.plan import Plan, PlanChange
from bot.subscription.purchases import BillingError

MAX_YEARS = 5
MAX_NEW_SEATS = 1000
_NUMBER = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_DURATION = re.compile(rf"^{_NUMBER}?\s*个?\s*(月|年|季度|季|天|日)$")
_COUNT = re.compile(rf"^{_NUMBER}\s*[个席位人]*$")

BAD_DURATION = "续费时长写成「续费 12个月」「续费 1年」或「续费 2个季度」。"
NOT_WHOLE_PERIODS = "当前{name}付费，续费时长要是 {months} 个月的整数倍，例如：续费 {example}个月。"
DAYS_ONLY = "当前按天付费，续费时长写成天数，例如：续费 30天。"
TOO_LONG = f"一次最多续费 {MAX_YEARS} 年。"
BAD_COUNT = "席位数写成数字，例如：加席位 5。"
TOO_MANY = f"一次最多加 {MAX_NEW_SEATS} 个席位。"
UNKNOWN_ITEM = "没有叫「{name}」的模块或套餐包。可以开通：{choices}。"
NO_ITEM = "请写上要开通的模块，例如：开通 工单。可以开通：{choices}。"
UNKNOWN_EDITION = "没有叫「{name}」的版本。可选：{choices}。"
NO_EDITION = "请写上要升级到的版本，例如：升级 售后服务版。可选：{choices}。"


@dataclass(frozen=True, slots=True)
class Duration:
    months: int = 0
    days: int = 0


def parse_duration(text: str) -> Duration | None:
    """12个月, 一年, 半年, 2个季度, 30天; None when it is none of those."""
    text = "".join(text.split())
    if text == "半年":
        return Duration(months=6)
    match = _DURATION.match(text)
    if match is None:
        return None
    count = to_int(match.group(1), digit_strings=False) if match.group(1) else 1
    if not count:
        return None
    unit = match.group(2)
    if unit in ("天", "日"):
        return Duration(days=count)
    return Duration(months=count * {"月": 1, "年": 12, "季度": 3, "季": 3}[unit])


def renewal_periods(catalog: Catalog, plan: Plan, text: str) -> int:
    """How many of the plan's billing periods ``text`` asks for; one when it is empty."""
    billing = catalog.period(plan.period)
    if not text.strip():
        return 1
    duration = parse_duration(text)
    if duration is None:
        raise BillingError(BAD_DURATION)
    if billing.months:
        return _whole_periods(billing, duration)
    if not duration.days or duration.days % billing.days:
        raise BillingError(DAYS_ONLY)
    if duration.days > MAX_YEARS * 366:
        raise BillingError(TOO_LONG)
    return duration.days // billing.days


def _whole_periods(billing: BillingPeriod, duration: Duration) -> int:
    if not duration.months or duration.months % billing.months:
        example = billing.months * (12 // billing.months or 1)
        raise BillingError(
            NOT_WHOLE_PERIODS.format(name=billing.name, months=billing.months, example=example)
        )
    if duration.months > MAX_YEARS * 12:
        raise BillingError(TOO_LONG)
    return duration.months // billing.months


def seat_count(text: str) -> int:
    match = _COUNT.match("".join(text.split()))
    count = to_int(match.group(1), digit_strings=False) if match else None
    if not count:
        raise BillingError(BAD_COUNT)
    if count > MAX_NEW_SEATS:
        raise BillingError(TOO_MANY)
    return count


def item_change(catalog: Catalog, text: str) -> tuple[PlanChange, str]:
    """A module or a bundle to add, by name or alias, and its name."""
    choices = "、".join([m.name for m in catalog.modules] + [b.name for b in catalog.bundles])
    name = text.strip()
    if not name:
        raise BillingError(NO_ITEM.format(choices=choices))
    if _item_code(catalog, name) is None:
        name = _ITEM_SUFFIX.sub("", name) or name  # 开通 工单模块, 开通 进销存功能
    try:
        module = catalog.module(name)
    except UnknownItemError:
        pass
    else:
        return PlanChange(add_modules=frozenset({module.code})), module.name
    try:
        bundle = catalog.bundle(name)
    except UnknownItemError:
        pass
    else:
        return PlanChange(add_bundles=frozenset({bundle.code})), bundle.name
    # 知识库开一下, 想上呼叫中心那个: a name said among other words
    said_module = mentioned(catalog.modules, name)
    if said_module is not None:
        return PlanChange(add_modules=frozenset({said_module.code})), said_module.name
    said_bundle = mentioned(catalog.bundles, name)
    if said_bundle is not None:
        return PlanChange(add_bundles=frozenset({said_bundle.code})), said_bundle.name
    raise BillingError(UNKNOWN_ITEM.format(name=name, choices=choices))


_TO = re.compile(r"^(?:到|成|为|至)\s*")
_ITEM_SUFFIX = re.compile(r"\s*(?:模块|功能|套餐包)$")


def spellings(name: str, suffix: str) -> list[str]:
    """The ways ``name`` may appear in the catalog: as written, with or without ``suffix``
    ("专业" and "专业版", "pro版" and "pro"), so people need not type a name exactly."""
    found = [name]
    if name.endswith(suffix) and len(name) > len(suffix):
        found.append(name.removesuffix(suffix).strip())
    else:
        found.append(name + suffix)
    return found


def edition_named(catalog: Catalog, text: str) -> Edition:
    """升级 专业版 / 升级到专业 / upgrade pro: the edition by name or alias, loosely."""
    choices = "、".join(e.name for e in catalog.editions)
    name = _TO.sub("", text.strip())
    if not name:
        raise BillingError(NO_EDITION.format(choices=choices))
    for spelling in spellings(name, "版"):
        try:
            return catalog.edition(spelling)
        except UnknownItemError:
            continue
    said = mentioned(catalog.editions, name)  # 换成ERP版要补: the name among other words
    if said is not None:
        return said
    raise BillingError(UNKNOWN_EDITION.format(name=name, choices=choices))


BAD_DECREASE = "要减少的席位数写成数字，例如：减席位 3。"
TOO_FEW_SEATS = "当前只有 {seats} 个席位，最多减到 1 个。"
NO_REMOVAL = "请写上要停用的模块或套餐包，例如：停用 工单。当前可停用：{choices}。"
NOT_HELD = "「{name}」不是单独开通的，停用不了。当前可停用：{choices}。"
NOTHING_TO_REMOVE = "当前套餐没有单独开通的模块或套餐包；版本自带的模块不能单独停用。"
BAD_PERIOD = "付费周期可选：{choices}。例如：付费周期 按年。"
SAME_PERIOD = "当前已经是{name}付费。"
NO_SERVICE = "请写上服务项目，例如：购买服务 远程支持 2次。发送「服务项目」查看价格。"
UNKNOWN_SERVICE = "没有叫「{name}」的服务项目。可选：{choices}。"
BAD_SERVICE_COUNT = "数量写成数字，例如：购买服务 上门服务 2次。"
MAX_SERVICE_COUNT = 99
_SERVICE = re.compile(rf"^(?P<name>.+?)\s*(?:[x×*]\s*)?(?:{_NUMBER}\s*[次个项天]?)?$")


def seats_after_decrease(plan: Plan, text: str) -> int:
    """减席位 3: the seat count from the next period on."""
    match = _COUNT.match("".join(text.split()))
    count = to_int(match.group(1), digit_strings=False) if match else None
    if not count:
        raise BillingError(BAD_DECREASE)
    if count >= plan.seats:
        raise BillingError(TOO_FEW_SEATS.format(seats=plan.seats))
    return plan.seats - count


def item_removal(catalog: Catalog, plan: Plan, text: str) -> tuple[PlanChange, str]:
    """停用 工单: a module or bundle bought on its own (an edition's modules come with it)."""
    held = [(catalog.module(code).name, code, True) for code in sorted(plan.modules)]
    held += [(catalog.bundle(code).name, code, False) for code in sorted(plan.bundles)]
    if not held:
        raise BillingError(NOTHING_TO_REMOVE)
    choices = "、".join(name for name, _, _ in held)
    name = text.strip()
    if not name:
        raise BillingError(NO_REMOVAL.format(choices=choices))
    code = _item_code(catalog, name)
    for held_name, held_code, is_module in held:
        if held_code == code:
            removal = frozenset({code})
            if is_module:
                return PlanChange(remove_modules=removal), held_name
            return PlanChange(remove_bundles=removal), held_name
    raise BillingError(NOT_HELD.format(name=name, choices=choices))


def _item_code(catalog: Catalog, name: str) -> str | None:
    for find in (catalog.module, catalog.bundle):
        try:
            return find(name).code
        except UnknownItemError:
            continue
    return None


def _service_named(catalog: Catalog, name: str) -> ServiceItem | None:
    """远程支持, 部署服务 (部署 is the alias), 实施服务: with or without a trailing 服务."""
    for spelling in spellings(name, "服务"):
        try:
            return catalog.service(spelling)
        except UnknownItemError:
            continue
    return None


def period_named(catalog: Catalog, plan: Plan, text: str) -> BillingPeriod:
    choices = "、".join(p.name for p in catalog.periods)
    try:
        period = catalog.period(text.strip().removesuffix("付费").strip())
    except UnknownItemError:
        raise BillingError(BAD_PERIOD.format(choices=choices)) from None
    if period.code == plan.period:
        raise BillingError(SAME_PERIOD.format(name=period.name))
    return period


def service_items(catalog: Catalog, text: str) -> dict[str, int]:
    """购买服务 远程支持 2次 / 上门服务: one item and its count (1 when not written)."""
    choices = "、".join(s.name for s in catalog.services)
    match = _SERVICE.match(text.strip())
    if match is None:
        raise BillingError(NO_SERVICE)
    name = match.group("name").strip()
    item = _service_named(catalog, name)
    if item is None:
        raise BillingError(UNKNOWN_SERVICE.format(name=name, choices=choices))
    written = match.group(2)
    count = to_int(written, digit_strings=False) if written else 1
    if not count or count > MAX_SERVICE_COUNT:
        raise BillingError(BAD_SERVICE_COUNT)
    return {item.code: count}
