"""The address book's changes (change_contact): employees' names and renamed userids.

Names matter because people see them: {员工名} in welcome texts, owners on customer cards,
assignees in lists. WeCom tells the app about members it can see when they are created or
edited; a name the bot never heard is fetched with user/get when a welcome text needs it
(``handlers.crm.events``).
"""

from __future__ import annotations

import logging

from bot.crm.book import ensure_employee
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from models.tenants import Employee

logger = logging.getLogger(__name__)

router = Router(__name__)

NAME_LENGTH = 64  # Employee.name


@router.event("change_contact", "create_user", "update_user")
async def member_changed(ctx: Context) -> None:
    userid = ctx.update.user_id
    if not userid:
        return
    new_userid = str(ctx.update.fields.get("NewUserID") or "")
    if new_userid and new_userid != userid:
        await _rename(ctx.tenant.id, userid, new_userid)
        userid = new_userid
    name = str(ctx.update.fields.get("Name") or "")[:NAME_LENGTH]
    if name:
        employee = await ensure_employee(ctx.tenant.id, userid, ctx.clock.now())
        await Employee.filter(id=employee.id).update(name=name)


async def _rename(tenant_id: int, old: str, new: str) -> None:
    """Keep the employee's history under the new userid; if both exist (the new one talked
    to the bot first), the old row stays and is logged, since merging is a human decision."""
    if await Employee.exists(tenant_id=tenant_id, userid=new):
        logger.warning("member %s renamed to %s, who already has a row; not merged", old, new)
        return
    await Employee.filter(tenant_id=tenant_id, userid=old).update(userid=new)
