"""我的通话 (one's own figures), 通话统计 (admins: everyone) and 通话设置 (the 有效通话
threshold, the tenant's own numbers, when the 通话日报 goes out)."""

from __future__ import annotations

import re
from datetime import time

from bot.admin.preferences import clock_words, parse_clock_time
from bot.calls import phrasings
from bot.calls.days import figures_from_days, rebuild
from bot.calls.numbers import normalise
from bot.calls.ranking import BY_CONNECTED, BY_EFFECTIVE, ranking_lines
from bot.calls.report import NOBODY, figure_line, period_words
from bot.calls.stats import Period, period_named
from bot.calls.store import settings_of
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from models.calls import CallSettings
from models.tenants import Employee, Role

router = Router(__name__, title="通话", module="callcenter")

PERIOD_USAGE = "请写今天、昨天、本周、上周、本月或上月，例如：{command} 本周"
NONE_MINE = "你{period}还没有通话记录。"
NONE_TEAM = "{period}还没有通话记录。"
TEAM_HEAD = "通话统计 {period}，共 {count} 人："
SETTING_USAGE = "请按这个格式写：通话设置 有效通话 60秒（接通且通话不少于这么多秒才算有效通话）"
SETTING_SHOWN = (
    "通话设置：有效通话 ≥{secs}秒；未接来电 {minutes} 分钟内回拨；公司号码 {lines}；"
    "通话日报 {report}。\n"
    "修改：通话设置 有效通话 60秒、通话设置 公司号码 4008001234、通话设置 日报 18:00"
)
REPORT_USAGE = "请按这个格式写：通话设置 日报 18:30（每天几点发给管理员），或 通话设置 日报 关"
REPORT_SAVED = "已保存：通话日报每天 {at} 发给管理员（当天有通话时）。"
REPORT_OFF = "已关闭通话日报。重新打开：通话设置 日报 18:00"
_REPORT = re.compile(r"^(?:通话)?日报\s*(?P<value>.*)$")
_OFF = ("关", "关闭", "停", "停止", "不发", "不要", "off")
_ON = ("开", "打开", "开启", "恢复", "on")
# 通话设置看一下, 通话设置是什么: the settings, not a change.
_JUST_LOOKING = re.compile(
    r"(?:看看|看一下|看下|查看|查一下|是什么|是怎样的|是多少|怎么设的)?[吧呢吗?？。\s]*"
)
SETTING_SAVED = "已保存：接通且通话不少于 {secs} 秒算有效通话，历史统计也按这个标准重算。"
_SECS = re.compile(r"^(?:有效通话|有效时长|有效)\s*(?P<n>\d{1,4})\s*(?P<unit>秒|s|分钟|分)?$")
MAX_THRESHOLD = 3600
_LINES = re.compile(r"^(?:本机号码|公司号码|总机|公司电话)\s*(?P<numbers>.*)$")
LINES_USAGE = "请写上公司自己的号码，例如：通话设置 公司号码 4008001234 010-88886666"
LINES_SAVED = "已保存公司号码：{numbers}。这些号码的来电去电不会匹配成客户。"
MAX_LINES = 20


# Words said around the period that ask for nothing more: 我的通话情况, 我的通话记录 上周.
_FIGURE_WORDS = re.compile(r"统计|记录|情况|数据|通话量|次数|怎么样|如何|的|[?？。!！\s]")


def _period(ctx: Context, command: str) -> Period:
    today = ctx.clock.now().astimezone(ctx.tenant.timezone).date()
    found = period_named(_FIGURE_WORDS.sub("", ctx.args), today)
    if found is None:
        raise UserFacingError(PERIOD_USAGE.format(command=command))
    return found


@router.command(
    "我的通话",
    slots=("when",),
    fill="我的通话 {when?|今天|昨天|本周|上周|本月|上月}",
    examples=phrasings.MINE_EXAMPLES,
    phrasings=phrasings.MINE,
)
async def my_calls(ctx: Context) -> str:
    """我的通话 今天/本周：自己的拨打、接通、通话时长和有效通话"""
    period = _period(ctx, "我的通话")
    assert ctx.employee is not None
    threshold = (await settings_of(ctx.tenant.id)).effective_secs
    found = await figures_from_days(ctx.tenant.id, period, ctx.employee.id)
    mine = found.get(ctx.employee.id)
    if mine is None:
        return NONE_MINE.format(period=period_words(period))
    return figure_line(period_words(period), mine, threshold, ctx.tenant.timezone)


@router.command(
    "通话统计",
    roles=[Role.ADMIN],
    slots=("when",),
    fill="通话统计 {when?|今天|昨天|本周|上周|本月|上月}",
    examples=phrasings.TEAM_EXAMPLES,
    phrasings=phrasings.TEAM,
)
async def team_calls(ctx: Context) -> str:
    """（管理员）通话统计 今天/本周：每位同事的拨打、接通、通话时长和有效通话"""
    period = _period(ctx, "通话统计")
    threshold = (await settings_of(ctx.tenant.id)).effective_secs
    found = await figures_from_days(ctx.tenant.id, period)
    if not found:
        return NONE_TEAM.format(period=period_words(period))
    ids = [i for i in found if i is not None]
    names = dict(await Employee.filter(id__in=ids).values_list("id", "name"))
    ranked = sorted(found.items(), key=lambda item: (-item[1].calls, item[0] or 0))
    lines = [TEAM_HEAD.format(period=period_words(period), count=len(found))]
    for who, figures in ranked:
        name = str(names.get(who, NOBODY)) if who is not None else NOBODY
        lines.append(figure_line(name, figures, threshold, ctx.tenant.timezone))
    return "\n".join(lines)


RANK_USAGE = "请按这个格式写：通话排行 今天/本周/本月 [接通/有效]，例如：通话排行 本周 有效"
RANK_NONE = "{period}还没有通话记录。"
_RANK_WHEN = re.compile(r"今天|今日|昨天|昨日|本周|这周|上周|本月|这个月|上月|上个月")
_RANK_BY = re.compile(r"接通数|接通|有效通话|有效时长|有效|通话时长|时长")
# What may stand around them: 通话排行榜, 通话排行 本周 按有效时长.
_RANK_FILLER = re.compile(r"榜|按照|按|排|的|[\s，,?？。]")


def _rank_asked(args: str) -> tuple[str, str] | None:
    """The period and the measure asked for, in either order, or None for other words."""
    when, by = _RANK_WHEN.search(args), _RANK_BY.search(args)
    rest = args
    for found in (when, by):
        if found is not None:
            rest = rest.replace(found[0], "", 1)
    if _RANK_FILLER.sub("", rest):
        return None
    return (when[0] if when else ""), (by[0] if by else "")


@router.command(
    "通话排行",
    roles=[Role.ADMIN],
    slots=("when", "by"),
    fill="通话排行 {when?|今天|本周|本月} {by?|接通|有效}",
    examples=phrasings.RANKING_EXAMPLES,
    phrasings=phrasings.RANKING,
)
async def call_ranking(ctx: Context) -> str:
    """（管理员）通话排行 今天/本周/本月 [接通/有效]：按接通数或有效通话时长排名"""
    asked = _rank_asked(ctx.args.strip())
    if asked is None:
        raise UserFacingError(RANK_USAGE)
    when, measure = asked
    today = ctx.clock.now().astimezone(ctx.tenant.timezone).date()
    period = period_named(when, today)
    assert period is not None
    by = BY_CONNECTED if (measure or "接通").startswith("接通") else BY_EFFECTIVE
    lines = await ranking_lines(ctx.tenant.id, period, by)
    return "\n".join(lines) if lines else RANK_NONE.format(period=period_words(period))


@router.command(
    "通话设置",
    roles=[Role.ADMIN],
    slots=("value",),
    examples=phrasings.SETTING_EXAMPLES,
    phrasings=phrasings.SETTING,
)
async def call_settings(ctx: Context) -> str:
    """（管理员）通话设置 有效通话 60秒：多长的接通电话算有效通话"""
    args = ctx.args.strip()
    current = await settings_of(ctx.tenant.id)
    if _JUST_LOOKING.fullmatch(args):
        lines = "、".join(current.own_numbers) or "未设置"
        return SETTING_SHOWN.format(
            secs=current.effective_secs,
            minutes=current.callback_minutes,
            lines=lines,
            report=_report_words(current),
        )
    report = _REPORT.match(args)
    if report is not None:
        return await _save_report(ctx, report["value"].strip())
    asked = _LINES.match(args)
    if asked is not None:
        return await _save_lines(ctx, asked["numbers"])
    found = _SECS.match(args)
    if found is None:
        raise UserFacingError(SETTING_USAGE)
    secs = int(found["n"]) * (60 if found["unit"] in ("分钟", "分") else 1)
    if not 1 <= secs <= MAX_THRESHOLD:
        raise UserFacingError(SETTING_USAGE)
    await rebuild(ctx.tenant.id, ctx.clock.now(), threshold=secs)
    return SETTING_SAVED.format(secs=secs)


def _report_words(current: CallSettings) -> str:
    if not current.report_on:
        return "不发"
    return f"每天 {clock_words(_report_time(current))}"


def _report_time(current: CallSettings) -> time:
    return time(current.report_minute // 60, current.report_minute % 60)


async def _save_report(ctx: Context, value: str) -> str:
    """通话日报: when it goes to the admins, or that it does not."""
    if value.lower() in _OFF:
        changes: dict[str, object] = {"report_on": False}
        answer = REPORT_OFF
    else:
        at = _report_time(await settings_of(ctx.tenant.id)) if value in _ON else None
        at = at or parse_clock_time(value)
        if at is None:
            raise UserFacingError(REPORT_USAGE)
        changes = {"report_on": True, "report_minute": at.hour * 60 + at.minute}
        answer = REPORT_SAVED.format(at=clock_words(at))
    await CallSettings.update_or_create(
        defaults={**changes, "updated_at": ctx.clock.now()}, tenant_id=ctx.tenant.id
    )
    return answer


def _numbers(part: str) -> list[str]:
    """``400-800-1234 010-88886666`` is two numbers; ``010 8888 6666`` is one."""
    tokens = part.split()
    if len(tokens) > 1 and all(len(re.sub(r"\D", "", t)) >= 7 for t in tokens):
        return tokens
    return [part] if part.strip() else []


async def _save_lines(ctx: Context, text: str) -> str:
    """The tenant's own numbers (总机, 400): calls with them never match a customer."""
    numbers = [normalise(one) for part in re.split(r"[,，、;；]+", text) for one in _numbers(part)]
    if not numbers or "" in numbers or len(numbers) > MAX_LINES:
        raise UserFacingError(LINES_USAGE)
    unique = list(dict.fromkeys(numbers))
    await CallSettings.update_or_create(
        defaults={"own_numbers": unique, "updated_at": ctx.clock.now()}, tenant_id=ctx.tenant.id
    )
    return LINES_SAVED.format(numbers="、".join(unique))
