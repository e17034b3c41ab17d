"""Satisfaction reports in chat: 本月满意度 (admins), 满意度 [同事] [时间].

Employees see their own numbers; admins see the team's and anyone's.
"""

from __future__ import annotations

from bot.crm.book import find_employee
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.surveys.periods import find_period, this_month
from bot.surveys.report import satisfaction_report
from models.tenants import Employee, Role

router = Router(__name__, title="满意度", module="crm")

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)  # admins read reports in their group too
NO_SUCH_PERSON = "没找到同事「{who}」，请写他的企业微信账号或名字，例如：满意度 李四 上周"
ONLY_YOURS = "你只能查看自己的满意度，例如：满意度 上周。团队和同事的数据请管理员查看。"
UNKNOWN_PERIOD = "没看懂「{text}」。例如：满意度 上周、满意度 李四、满意度 李四 10月"


@router.command("本月满意度", roles=[Role.ADMIN], chats=IN_GROUPS)
async def month_report(ctx: Context) -> str:
    """（管理员）本月团队满意度：CSAT、NPS、回复率、按员工和最低分留言"""
    now = ctx.clock.now()
    local = now.astimezone(ctx.tenant.timezone)
    return await satisfaction_report(ctx.tenant, this_month(local), now)


@router.command("满意度", "csat", chats=IN_GROUPS)
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
    employee = await find_employee(ctx.tenant.id, who)
    if employee is None:
        if any(ch.isdigit() for ch in who):
            raise UserFacingError(UNKNOWN_PERIOD.format(text=who))
        raise UserFacingError(NO_SUCH_PERSON.format(who=who))
    mine = ctx.employee is not None and employee.id == ctx.employee.id
    if not mine and not ctx.is_admin:
        raise UserFacingError(ONLY_YOURS)
    return employee
