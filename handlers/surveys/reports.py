"""Satisfaction reports in chat: 本月满意度 (admins), 满意度 [同事] [时间].

Employees see their own numbers; admins see the team's and anyone's.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.people.resolve import ColleagueChoice, answers_choice, resolve_colleague
from bot.surveys.periods import find_period, this_month
from bot.surveys.report import satisfaction_report
from models.tenants import Employee, Role

router = Router(__name__, title="满意度", module="crm")

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)  # admins read reports in their group too
ONLY_YOURS = "你只能查看自己的满意度，例如：满意度 上周。团队和同事的数据请管理员查看。"
UNKNOWN_PERIOD = "没看懂「{text}」。例如：满意度 上周、满意度 李四、满意度 李四 10月"


_LOOK = r"(?:查看|看看|看下|瞧瞧|查|看)?(?:一下|下)?"
_HOW = r"(?:怎么样|如何|多少|咋样|好不好)?(?:啊|呢)?[？?。.!！]*"
_SCORE = r"(?:满意度|NPS|CSAT|评分|客户评价|评价|好评率)"
_WHEN = r"(?:上周|这周|本周|上个月|上月|今年|去年|最近|今天|昨天|\d{1,2}月)"
# Who a report is about: never a word that names the whole team or a time, nor the start of
# another request ("发满意度" sends one).
_WHO = (
    r"(?!客户|团队|大家|整体|总体|这个|本|上|今|去|最近|昨|发|给|把|让|请|推)"
    r"(?:(?!发|送|那里|那边)[^\s的，,。？?]){1,12}?"
)


@router.command(
    "本月满意度",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    slots=(),
    examples=(
        "本月满意度",
        "这个月满意度怎么样",
        "这个月的满意度",
        "这月满意度如何",
        "这个月满意度如何？",
        "本月满意度多少",
        "本月满意度报告",
        "本月的满意度报表",
        "看看本月满意度",
        "看一下这个月满意度",
        "本月团队满意度",
        "团队这个月满意度",
        "这个月大家满意度怎么样",
        "这个月客户满意度怎么样",
        "这个月客户评价怎么样",
        "这个月的评分怎么样",
        "这个月的NPS",
        "本月CSAT",
        "这个月好评率",
        "月度满意度",
    ),
    phrasings=(
        (
            rf"{_LOOK}(?:团队)?(?:这个月|这月|本月|当月)的?(?:团队|大家|客户)?的?(?:客户|回访)?{_SCORE}"
            rf"(?:报告|报表|统计|情况|汇总|整体情况|总体情况)?{_HOW}",
            "本月满意度",
        ),
        (rf"月度(?:满意度|NPS|CSAT)(?:报告|报表)?{_HOW}", "本月满意度"),
    ),
)
async def month_report(ctx: Context) -> str:
    """（管理员）本月团队满意度：CSAT、NPS、回复率、按员工和最低分留言"""
    now = ctx.clock.now()
    local = now.astimezone(ctx.tenant.timezone)
    return await satisfaction_report(ctx.tenant, this_month(local), now)


@router.command(
    "满意度",
    "csat",
    chats=IN_GROUPS,
    slots=("who", "when"),
    fill="满意度 {who?} {when?}",
    examples=(
        "满意度",
        "满意度 上周",
        "满意度 李四 10月",
        "我的满意度",
        "看看我的满意度",
        "我上周的满意度",
        "我的评分",
        "上周满意度怎么样",
        "上个月的满意度",
        "最近满意度怎么样",
        "今年满意度",
        "10月满意度",
        "上周客户评价怎么样",
        "李四的满意度怎么样",
        "李四上个月满意度",
        "李四这周的评分",
        "王五的满意度",
        "查一下李四的满意度",
        "客户对我满意吗",
        "csat",
    ),
    phrasings=(
        (rf"{_LOOK}(?P<when>{_WHEN})的?{_SCORE}{_HOW}", "满意度 {when}"),
        (rf"{_LOOK}(?P<who>{_WHO})的?(?P<when>{_WHEN})?的?{_SCORE}{_HOW}", "满意度 {who} {when}"),
        (rf"客户对(?P<who>{_WHO})(?:满意吗|满不满意|还满意吗)[？?。]*", "满意度 {who}"),
    ),
)
@answers_choice
async def satisfaction(ctx: Context) -> str:
    """满意度 [同事] [时间]：例如 满意度 上周、满意度 李四 10月（不写时间看本月）"""
    now = ctx.clock.now()
    local = now.astimezone(ctx.tenant.timezone)
    period, rest = find_period(ctx.args, local)
    employee = await _whose(ctx, rest)
    if employee is None and not ctx.is_admin:
        employee = ctx.employee
    return await satisfaction_report(
        ctx.tenant, period or this_month(local), now, employee=employee
    )


async def _whose(ctx: Context, who: str) -> Employee | None:
    """The colleague named in the command (None: the team, or the speaker), if the speaker
    may see them."""
    if not who:
        return None
    if who in ("我", "自己", "我的"):
        return ctx.employee
    try:
        employee = await resolve_colleague(ctx, who, allow_left=True)
    except ColleagueChoice:
        raise
    except UserFacingError:
        if any(ch.isdigit() for ch in who):  # a period the parser did not take
            raise UserFacingError(UNKNOWN_PERIOD.format(text=who)) from None
        raise
    mine = ctx.employee is not None and employee.id == ctx.employee.id
    if not mine and not ctx.is_admin:
        raise UserFacingError(ONLY_YOURS)
    return employee
