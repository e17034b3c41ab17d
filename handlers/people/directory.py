"""同步通讯录: an admin brings the address book in from WeCom now, instead of waiting for the
nightly sync; and 找同事 李四 to see who a name stands for."""

from __future__ import annotations

import logging

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.people import phrasings
from bot.people.resolve import answers_choice, resolve_colleague, where
from bot.people.store import department_names
from bot.people.sync import SyncReport, sync_directory
from bot.wecom.client import WeComAPIError
from bot.wecom.directory import NO_PRIVILEGE
from models.people import DirectoryMember, DirectorySync, MemberStatus
from models.tenants import Role

logger = logging.getLogger(__name__)

router = Router(__name__, title="同事", module="core")

REPORT = "report"  # ctx.deps: what the sync in the prepare step did

SYNCED = "通讯录已同步：{departments} 个部门，{members} 位同事在本应用的可见范围内。"
CHANGES = "这次新增 {joined} 位，离开 {left} 位。"
RESUMED = "（接着上次中断的地方同步完成）"
BUSY = "通讯录正在同步中，请过一会儿再看。"
NO_RIGHTS = (
    "企业微信没有给本应用读取通讯录的权限（{errcode}）。请在管理后台 → 应用管理 → 本应用 → "
    "可见范围 里加上要用机器人的部门或同事，再发送「同步通讯录」。"
)
FAILED = (
    "同步没有完成（企业微信返回 {errcode}）。已同步的部分都保留了，"
    "再发一次「同步通讯录」会接着同步。"
)
STATUS = (
    "通讯录：{departments} 个部门，{members} 位同事，上次同步完成于 {when}。"
    "每晚 2 点自动同步，发送「同步通讯录」马上同步。"
)
NEVER_SYNCED = "通讯录还没有同步过。发送「同步通讯录」把企业微信里的部门和同事同步进来。"
LAST_ERROR = "最近一次同步没有完成（企业微信返回 {errcode}），再发送「同步通讯录」会接着同步。"
TIME_FORMAT = "%m-%d %H:%M"
PROFILE = "{name}（{userid}）· {where}{position}{alias}{status}"
LEFT_MARK = " · 已离开通讯录"


async def run_sync(ctx: Context) -> None:
    """WeCom calls belong before the transaction: the sync stores each department itself."""
    segmenter = ctx.deps.get("segmenter")
    learn = segmenter.add_names if segmenter is not None else None
    try:
        ctx.deps[REPORT] = await sync_directory(
            ctx.deps["client"], ctx.tenant, ctx.clock, learn=learn
        )
    except WeComAPIError as exc:
        logger.warning("address book sync of %s stopped: %s", ctx.tenant.key, exc)
        text = NO_RIGHTS if exc.errcode == NO_PRIVILEGE else FAILED
        raise UserFacingError(text.format(errcode=exc.errcode)) from exc


@router.command(
    "同步通讯录",
    roles=(Role.ADMIN,),
    chats=(ChatType.SINGLE, ChatType.GROUP),
    prepare=run_sync,
    examples=phrasings.SYNC_EXAMPLES,
    phrasings=phrasings.SYNC,
)
async def sync_address_book(ctx: Context) -> str:
    """（管理员）从企业微信同步部门和同事，例如：同步通讯录"""
    report: SyncReport = ctx.deps[REPORT]
    if not report.started:
        return BUSY
    text = SYNCED.format(departments=report.departments, members=report.members)
    if report.joined or report.left:
        text += CHANGES.format(joined=report.joined, left=report.left)
    return text + (RESUMED if report.resumed else "")


@router.command(
    "通讯录",
    "通讯录状态",
    roles=(Role.ADMIN,),
    chats=(ChatType.SINGLE, ChatType.GROUP),
    examples=phrasings.STATUS_EXAMPLES,
    phrasings=phrasings.STATUS,
)
async def address_book_status(ctx: Context) -> str:
    """（管理员）看通讯录同步到哪了，例如：通讯录"""
    row = await DirectorySync.get_or_none(tenant_id=ctx.tenant.id)
    if row is None or row.finished_at is None:
        text = NEVER_SYNCED
    else:
        when = row.finished_at.astimezone(ctx.tenant.timezone).strftime(TIME_FORMAT)
        text = STATUS.format(departments=row.departments, members=row.members, when=when)
    if row is not None and row.error:
        text += "\n" + LAST_ERROR.format(errcode=row.error.partition(" ")[0])
    return text


@router.command(
    "找同事",
    "查同事",
    chats=(ChatType.SINGLE, ChatType.GROUP),
    slots=("who",),
    examples=phrasings.COLLEAGUE_EXAMPLES,
    phrasings=phrasings.COLLEAGUE,
)
@answers_choice
async def show_colleague(ctx: Context) -> str:
    """看同事在哪个部门、企业微信账号，例如：找同事 李四"""
    employee = await resolve_colleague(ctx, ctx.args, allow_left=True)
    member = await DirectoryMember.get_or_none(tenant_id=ctx.tenant.id, userid=employee.userid)
    if member is None:
        return f"{employee.name or employee.userid}（{employee.userid}）"
    return PROFILE.format(
        name=member.name or member.userid,
        userid=member.userid,
        where=where(member, await department_names(ctx.tenant.id)),
        position=f" · {member.position}" if member.position else "",
        alias=f" · 别名 {member.alias}" if member.alias else "",
        status=LEFT_MARK if member.status is MemberStatus.LEFT else "",
    )
