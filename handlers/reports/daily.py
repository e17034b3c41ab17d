"""日报: today for the team, for admins, in 1:1 chats and in groups."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.reports.daily import daily_report
from models.tenants import Role

router = Router(__name__, title="管理", module="core")


@router.command("日报", "daily report", roles=[Role.ADMIN], chats=[ChatType.SINGLE, ChatType.GROUP])
async def show_daily_report(ctx: Context) -> str:
    """（管理员）今天团队的新客户、完成和逾期的跟进"""
    return await daily_report(ctx.tenant, ctx.clock.now())
