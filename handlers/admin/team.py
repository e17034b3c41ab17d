"""Running the team from chat: 成员, 设为管理员 / 取消管理员, 设为派单员 / 取消派单员, 操作日志.

Admin commands, in 1:1 chats and in groups; the dispatcher refuses everyone else and writes
each of them to the audit log.
"""

from __future__ import annotations

import logging
import re
from zoneinfo import ZoneInfo

from bot.admin import audit, roles
from bot.admin.colleagues import colleague_userid
from bot.admin.phrases import END, GRANTEE, LOOK, WHO
from bot.admin.roles import RoleChange
from bot.dispatch.args import page_arg
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.people.resolve import answers_choice
from bot.subscription import seats
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import member_name
from models.admin import AuditEntry
from models.tenants import Employee, Role

logger = logging.getLogger(__name__)

router = Router(__name__, title="管理", module="core")

ADMIN_CHATS = (ChatType.SINGLE, ChatType.GROUP)
NAME = "colleague_name"  # ctx.deps: the name the address book gave, for a new row
USERID_NOT_FOUND = 60111  # user/get: no such member in the address book
ADMINS_ONLY = (Role.ADMIN,)
ROLE_NAMES = {Role.ADMIN: "管理员", Role.DISPATCHER: "派单员", Role.MEMBER: "成员"}

NOT_IN_BOOK = (
    "通讯录里没有「{userid}」。请写同事的企业微信账号（管理后台 → 通讯录 → 成员详情里的「账号」）。"
)
GRANTED = "已把 {userid} 设为{role}。"
GRANTED_ADMIN_HINT = "管理员可以使用所有管理命令（发送「帮助 管理」查看）。"
GRANTED_DISPATCHER_HINT = "派单员可以派单，其他管理命令仍只有管理员可用。"
REVOKED = "已取消 {userid} 的{role}身份，现在是普通成员。"
ALREADY = "{userid} 已经是{role}了。"
NOT_HELD = "{userid} 不是{role}。发送「成员」查看每个人的角色。"
FROM_CONFIG = "{userid} 是配置文件里的管理员，不能在聊天里更改；请修改 config.toml 中的 admins。"
LAST_ADMIN = "{userid} 是唯一的管理员，不能取消；请先把另一位同事设为管理员。"
IS_ADMIN = "{userid} 是管理员，已经可以派单；要改成派单员，请先「取消管理员 {userid}」。"

MEMBERS_PAGE = 15
MEMBERS_HEAD = "【成员】共 {total} 人（第 {page}/{pages} 页）："
MEMBER_ROW = "{n}. {who} · {role}{config} · {seat} · 最近使用 {seen}"
SEAT_HELD, SEAT_NONE = "有席位", "无席位"
FROM_CONFIG_MARK = "（配置）"
MEMBERS_NEXT = "发送「成员 {next}」看下一页。"
MEMBERS_FOOT = "发送「设为管理员 userid」「设为派单员 userid」改角色，「席位」看席位。"
NO_MEMBERS = "还没有同事用过我。同事第一次给我发消息时会自动加入。"
BAD_PAGE = "页码要写数字，例如：{command} 2"
NO_SUCH_PAGE = "只有 {pages} 页，发送「{command} {pages}」看最后一页。"

LOG_DEFAULT, LOG_MAX = 10, 50
LOG_HEAD = "【操作日志】最近 {shown} 条（共 {total} 条，最新的在前）："
LOG_PAGE_HEAD = "【操作日志】第 {page}/{pages} 页（每页 {size} 条，共 {total} 条，最新的在前）："
LOG_ROW = "{when} {who}{where}「{command}」{result}{summary}"
LOG_GROUP = "（群聊）"
LOG_NEXT = "发送「操作日志 {size} 第{next}页」看更早的。"
LOG_NO_PAGE = "只有 {pages} 页，发送「操作日志 {size} 第{pages}页」看最后一页。"
LOG_EMPTY = "还没有操作日志。管理员和派单员的命令都会记在这里。"
LOG_USAGE = "例如：操作日志（最近 10 条）、操作日志 20、操作日志 20 第2页（最多每页 50 条）"
_LOG_ARGS = re.compile(r"^(?:(\d{1,4})\s*条?)?\s*(?:第\s*(\d{1,4})\s*页)?$")
TIME_FORMAT = "%m-%d %H:%M"


async def look_up_colleague(ctx: Context) -> None:
    """Someone the bot has never seen is checked against the address book first, so a typo
    does not become a phantom admin. Only WeCom's "no such userid" stops the command: a
    member outside the app's visibility still gets the role."""
    userid = await colleague_userid(ctx, ctx.route.commands[0] if ctx.route else "")
    client: WeComClient | None = ctx.deps.get("client")
    if client is None or await Employee.exists(tenant_id=ctx.tenant.id, userid=userid):
        return
    try:
        ctx.deps[NAME] = await member_name(client, ctx.tenant.credentials, userid)
    except WeComAPIError as exc:
        if exc.errcode == USERID_NOT_FOUND:
            raise UserFacingError(NOT_IN_BOOK.format(userid=userid)) from exc
        logger.info("user/get %s for tenant %s: %s", userid, ctx.tenant.key, exc)


def _answer(change: RoleChange, userid: str, role: Role, granted: bool) -> str:
    name = ROLE_NAMES[role]
    if change is RoleChange.CHANGED and granted:
        hint = GRANTED_ADMIN_HINT if role is Role.ADMIN else GRANTED_DISPATCHER_HINT
        return f"{GRANTED.format(userid=userid, role=name)}\n{hint}"
    texts = {
        RoleChange.CHANGED: REVOKED,
        RoleChange.ALREADY: ALREADY,
        RoleChange.NOT_HELD: NOT_HELD,
        RoleChange.FROM_CONFIG: FROM_CONFIG,
        RoleChange.LAST_ADMIN: LAST_ADMIN,
        RoleChange.IS_ADMIN: IS_ADMIN,
    }
    return texts[change].format(userid=userid, role=name)


async def _grant(ctx: Context, command: str, role: Role) -> str:
    userid = await colleague_userid(ctx, command, what=f"做{ROLE_NAMES[role]}")
    name = ctx.deps.get(NAME) or ""
    change = await roles.grant(ctx.tenant, userid, role, ctx.clock.now(), name=name)
    return _answer(change, userid, role, granted=True)


async def _revoke(ctx: Context, command: str, role: Role) -> str:
    userid = await colleague_userid(ctx, command, allow_left=True)
    change = await roles.revoke(ctx.tenant, userid, role, ctx.clock.now())
    return _answer(change, userid, role, granted=False)


@router.command(
    "设为管理员",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    prepare=look_up_colleague,
    slots=("who",),
    examples=(
        "设为管理员 lisi",
        "把李四设成管理员",
        "把lisi设为管理员",
        "把王五也设成管理员",
        "将李四设置为管理员",
        "把李四设置成管理员",
        "把李四加为管理员",
        "让李四当管理员",
        "让wangwu做管理员",
        "让李四也当管理员吧",
        "请李四担任管理员",
        "给李四管理员权限",
        "给lisi开管理员权限",
        "设置李四为管理员",
        "任命李四为管理员",
        "设李四为管理员",
        "添加管理员 lisi",
        "加个管理员 李四",
        "李四设为管理员",
        "lisi升为管理员",
        "王五升成管理员吧",
        "李四也给个管理员权限",
        "加一个管理员，wangwu",
    ),
    phrasings=(
        (
            rf"(?:把|将)(?P<who>{GRANTEE})(?:也)?(?:设为|设成|设置为|设置成|设|改为|改成|加为|升为|提为)"
            rf"(?:一个)?管理员{END}",
            "设为管理员 {who}",
        ),
        (
            rf"(?:让|请)(?P<who>{GRANTEE})(?:也)?(?:来)?(?:当|做|担任|成为)(?:一下)?管理员{END}",
            "设为管理员 {who}",
        ),
        (
            rf"给(?P<who>{GRANTEE})(?:开|开通|加|设置)?(?:个)?管理员(?:的)?权限{END}",
            "设为管理员 {who}",
        ),
        (rf"(?:设置|设|任命|提拔)(?P<who>{GRANTEE})(?:为|当|做)管理员{END}", "设为管理员 {who}"),
        (
            rf"(?:添加|加|新增)(?:一个|个)?管理员\s*[:：，,]?\s*(?P<who>{GRANTEE}){END}",
            "设为管理员 {who}",
        ),
        (
            rf"(?P<who>[^\s把将让给设]{GRANTEE})(?:以后)?(?:也)?(?:要|来)?"
            rf"(?:设为|设成|升为|升成|提为|提成|改为|当|做)管理员{END}",
            "设为管理员 {who}",
        ),
        (
            rf"(?P<who>[^\s把将让给设]{GRANTEE})(?:也)?(?:给|开|加)(?:个|一个)?管理员(?:的)?权限{END}",
            "设为管理员 {who}",
        ),
    ),
    help="（管理员）改角色：设为管理员 lisi；取消管理员、设为派单员、取消派单员 同样写",
)
@answers_choice
async def make_admin(ctx: Context) -> str:
    """（管理员）把同事设为管理员，例如：设为管理员 lisi"""
    return await _grant(ctx, "设为管理员", Role.ADMIN)


@router.command(
    "取消管理员",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    help="",
    slots=("who",),
    examples=(
        "取消管理员 lisi",
        "取消李四的管理员",
        "取消lisi的管理员权限",
        "撤销李四的管理员权限",
        "去掉李四的管理员",
        "收回李四的管理员权限",
        "解除李四的管理员身份",
        "撤掉王五管理员",
        "把李四的管理员取消",
        "把lisi的管理员权限收回",
        "把李四的管理员身份去掉吧",
        "李四的管理员权限去掉",
        "李四不再是管理员",
        "李四不当管理员了",
        "lisi不做管理员了",
        "让李四别当管理员了",
        "移除管理员 lisi",
        "删除管理员 李四",
        "把李四从管理员里去掉",
        "把wangwu从管理员中移除",
        "王五管理员撤掉",
    ),
    phrasings=(
        (
            rf"(?:取消|撤销|撤掉|去掉|收回|解除|移除|拿掉)(?P<who>{WHO})的?管理员(?:权限|身份|角色)?{END}",
            "取消管理员 {who}",
        ),
        (
            rf"(?:把|将)(?P<who>{WHO})的管理员(?:权限|身份|角色)?(?:取消|撤销|撤掉|去掉|收回|解除|拿掉)"
            rf"(?:了|吧)?{END}",
            "取消管理员 {who}",
        ),
        (
            rf"(?P<who>{WHO})的?管理员(?:权限|身份)?(?:去掉|取消|收回|撤掉|撤了)(?:吧)?{END}",
            "取消管理员 {who}",
        ),
        (
            rf"(?P<who>{WHO})(?:不再是|不当|不做|别当|不再当|不再做)管理员了?{END}",
            "取消管理员 {who}",
        ),
        (rf"让(?P<who>{WHO})(?:别|不要|不用)(?:再)?(?:当|做)管理员了?{END}", "取消管理员 {who}"),
        (
            rf"(?:移除|删除|删掉|去掉)(?:一个)?管理员\s*[:：]?\s*(?P<who>{WHO}){END}",
            "取消管理员 {who}",
        ),
        (
            rf"(?:把|将)(?P<who>{WHO})从管理员(?:里|中|名单里)?(?:去掉|移除|删掉|拿掉)(?:吧)?{END}",
            "取消管理员 {who}",
        ),
    ),
)
@answers_choice
async def remove_admin(ctx: Context) -> str:
    """（管理员）取消同事的管理员身份，例如：取消管理员 lisi"""
    return await _revoke(ctx, "取消管理员", Role.ADMIN)


@router.command(
    "设为派单员",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    prepare=look_up_colleague,
    help="",
    slots=("who",),
    examples=(
        "设为派单员 wangwu",
        "把王五设成派单员",
        "把wangwu设为派单员",
        "将王五设置为派单员",
        "把赵六也设成派单员",
        "让王五当派单员",
        "让wangwu来做派单员",
        "请王五担任派单员",
        "给王五派单员权限",
        "给王五开个派单员权限",
        "给wangwu派单权限",
        "让王五负责派单",
        "让王五来派单",
        "王五以后负责派单",
        "设置王五为派单员",
        "任命王五为派单员",
        "添加派单员 wangwu",
        "加个派单员 王五",
        "王五设为派单员",
        "wangwu当派单员",
    ),
    phrasings=(
        (
            rf"(?:把|将)(?P<who>{GRANTEE})(?:也)?(?:设为|设成|设置为|设置成|设|改为|改成|加为|升为|提为)"
            rf"(?:一个)?派单员{END}",
            "设为派单员 {who}",
        ),
        (
            rf"(?:让|请)(?P<who>{GRANTEE})(?:也)?(?:来)?(?:当|做|担任|成为)(?:一下)?派单员{END}",
            "设为派单员 {who}",
        ),
        (
            rf"给(?P<who>{GRANTEE})(?:开|开通|加|设置)?(?:个)?派单员(?:的)?权限{END}",
            "设为派单员 {who}",
        ),
        (rf"(?:设置|设|任命|提拔)(?P<who>{GRANTEE})(?:为|当|做)派单员{END}", "设为派单员 {who}"),
        (
            rf"(?:添加|加|新增)(?:一个|个)?派单员\s*[:：]?\s*(?P<who>{GRANTEE}){END}",
            "设为派单员 {who}",
        ),
        (
            rf"(?P<who>[^\s把将让给设]{GRANTEE})(?:设为|设成|升为|改为|当)派单员{END}",
            "设为派单员 {who}",
        ),
        (rf"给(?P<who>{GRANTEE})(?:开|开通|加)?(?:个)?派单权限{END}", "设为派单员 {who}"),
        (rf"(?:让|请)?(?P<who>{GRANTEE})(?:以后)?(?:来)?负责派单{END}", "设为派单员 {who}"),
        (rf"(?:让|请)(?P<who>{GRANTEE})来派单{END}", "设为派单员 {who}"),
        (
            # 「赵六以后也能派单，给他权限」
            rf"(?:让|请)?(?!谁|哪)(?P<who>{GRANTEE})(?:以后|今后|之后)?(?:也)?(?:能|可以)(?:派单|分派工单)了?"
            rf"(?:[，,]\s*给(?:他|她)(?:开|加)?(?:个|一下)?(?:派单)?权限)?(?:吧)?{END}",
            "设为派单员 {who}",
        ),
    ),
)
@answers_choice
async def make_dispatcher(ctx: Context) -> str:
    """（管理员）把同事设为派单员，例如：设为派单员 wangwu"""
    return await _grant(ctx, "设为派单员", Role.DISPATCHER)


@router.command(
    "取消派单员",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    help="",
    slots=("who",),
    examples=(
        "取消派单员 wangwu",
        "取消王五的派单员",
        "取消wangwu的派单员身份",
        "撤销王五的派单员权限",
        "去掉王五的派单员",
        "收回王五的派单权限",
        "解除王五的派单员身份",
        "把王五的派单员取消",
        "把wangwu的派单员权限收回",
        "王五的派单员权限去掉",
        "王五不再是派单员",
        "王五不当派单员了",
        "wangwu不做派单员了",
        "让王五别当派单员了",
        "王五不用派单了",
        "让王五不用再派单了",
        "移除派单员 wangwu",
        "删除派单员 王五",
        "把王五从派单员里去掉",
        "把赵六从派单员中移除",
    ),
    phrasings=(
        (
            rf"(?:取消|撤销|撤掉|去掉|收回|解除|移除|拿掉)(?P<who>{WHO})的?派单员(?:权限|身份|角色)?{END}",
            "取消派单员 {who}",
        ),
        (
            rf"(?:把|将)(?P<who>{WHO})的派单员(?:权限|身份|角色)?(?:取消|撤销|撤掉|去掉|收回|解除|拿掉)"
            rf"(?:了|吧)?{END}",
            "取消派单员 {who}",
        ),
        (
            rf"(?P<who>{WHO})的派单员(?:权限|身份)?(?:去掉|取消|收回|撤掉)(?:吧)?{END}",
            "取消派单员 {who}",
        ),
        (
            rf"(?P<who>{WHO})(?:不再是|不当|不做|别当|不再当|不再做)派单员了?{END}",
            "取消派单员 {who}",
        ),
        (rf"让(?P<who>{WHO})(?:别|不要|不用)(?:再)?(?:当|做)派单员了?{END}", "取消派单员 {who}"),
        (
            rf"(?:移除|删除|删掉|去掉)(?:一个)?派单员\s*[:：]?\s*(?P<who>{WHO}){END}",
            "取消派单员 {who}",
        ),
        (
            rf"(?:把|将)(?P<who>{WHO})从派单员(?:里|中|名单里)?(?:去掉|移除|删掉|拿掉)(?:吧)?{END}",
            "取消派单员 {who}",
        ),
        (rf"(?:收回|取消|撤销|去掉)(?P<who>{WHO})的派单权限{END}", "取消派单员 {who}"),
        (rf"(?:让)?(?P<who>{WHO})(?:不用|不再|别)(?:再)?(?:负责)?派单了?{END}", "取消派单员 {who}"),
    ),
)
@answers_choice
async def remove_dispatcher(ctx: Context) -> str:
    """（管理员）取消同事的派单员身份，例如：取消派单员 wangwu"""
    return await _revoke(ctx, "取消派单员", Role.DISPATCHER)


def page_number(args: str, command: str) -> int:
    page = page_arg(args)
    if page is None:
        raise UserFacingError(BAD_PAGE.format(command=command))
    return page


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


@router.command(
    "成员",
    "members",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    slots=("page",),
    examples=(
        "成员",
        "成员 2",
        "看看成员",
        "查看成员",
        "成员列表",
        "团队成员",
        "看一下团队成员",
        "同事列表",
        "员工名单",
        "我们有哪些人",
        "团队有多少人",
        "部门里一共有几个人",
        "都有谁在用",
        "谁在用这个机器人",
        "谁是管理员",
        "管理员都有谁",
        "派单员是谁",
        "谁能派单",
        "成员第2页",
        "看第2页成员",
        "members",
    ),
    phrasings=(
        (
            rf"{LOOK}(?:我们的?|团队的?)?(?:团队成员|成员|成员列表|成员名单|同事列表|同事名单|员工列表"
            rf"|员工名单|团队名单){END}",
            "成员",
        ),
        (
            rf"(?:我们|团队|公司|部门)(?:里|里面|中)?(?:都|一共|总共)?有(?:哪些|多少|几个)(?:人|成员|同事)"
            rf"{END}",
            "成员",
        ),
        (rf"(?:我们|团队)?(?:都)?有(?:哪些|多少|几个)(?:成员|同事){END}", "成员"),
        (rf"(?:谁是|哪些人是)(?:管理员|派单员){END}", "成员"),
        (rf"(?:管理员|派单员)(?:都)?(?:有谁|是谁|有哪些人?){END}", "成员"),
        (rf"谁(?:能|可以)派单{END}", "成员"),
        (rf"(?:都)?有?谁在用(?:这个)?(?:机器人|系统)?{END}", "成员"),
        (rf"成员\s*第\s*(?P<page>\d+)\s*页{END}", "成员 {page}"),
        (rf"{LOOK}第\s*(?P<page>\d+)\s*页(?:的)?成员{END}", "成员 {page}"),
    ),
)
async def list_members(ctx: Context) -> str:
    """（管理员）查看成员的角色、席位和最近使用时间，例如：成员 2（第 2 页）"""
    page = page_number(ctx.args, "成员")
    query = Employee.filter(tenant_id=ctx.tenant.id)
    total = await query.count()
    if not total:
        return NO_MEMBERS
    pages = _pages(total, MEMBERS_PAGE)
    if page > pages:
        raise UserFacingError(NO_SUCH_PAGE.format(pages=pages, command="成员"))
    # Admins first, then dispatchers, then members; within each the most recently seen.
    everyone = await query.order_by("-last_seen_at", "userid")
    ranked = sorted(everyone, key=lambda e: _rank(roles.role_of(ctx.tenant, e)))
    shown = ranked[(page - 1) * MEMBERS_PAGE : page * MEMBERS_PAGE]
    holders = {holder.userid for holder in await seats.holders(ctx.tenant.id)}
    lines = [MEMBERS_HEAD.format(total=total, page=page, pages=pages)]
    first = (page - 1) * MEMBERS_PAGE + 1
    lines += [_member_row(ctx, n, e, holders) for n, e in enumerate(shown, first)]
    lines.append(MEMBERS_NEXT.format(next=page + 1) if page < pages else MEMBERS_FOOT)
    return "\n".join(lines)


def _rank(role: Role) -> int:
    return {Role.ADMIN: 0, Role.DISPATCHER: 1}.get(role, 2)


def _member_row(ctx: Context, n: int, employee: Employee, holders: set[str]) -> str:
    who = employee.userid if not employee.name else f"{employee.name}（{employee.userid}）"
    seen = employee.last_seen_at.astimezone(ctx.tenant.timezone).strftime(TIME_FORMAT)
    return MEMBER_ROW.format(
        n=n,
        who=who,
        role=ROLE_NAMES[roles.role_of(ctx.tenant, employee)],
        config=FROM_CONFIG_MARK if employee.userid in ctx.tenant.admins else "",
        seat=SEAT_HELD if employee.userid in holders else SEAT_NONE,
        seen=seen,
    )


def log_window(args: str) -> tuple[int, int]:
    """(entries per page, page) from ``操作日志 [N] [第P页]``."""
    match = _LOG_ARGS.match(args.strip())
    if match is None:
        raise UserFacingError(LOG_USAGE)
    size = int(match.group(1) or LOG_DEFAULT)
    page = int(match.group(2) or 1)
    if not 1 <= size <= LOG_MAX or page < 1:
        raise UserFacingError(LOG_USAGE)
    return size, page


@router.command(
    "操作日志",
    "audit log",
    roles=ADMINS_ONLY,
    chats=ADMIN_CHATS,
    slots=("count", "page"),
    examples=(
        "操作日志",
        "操作日志 20",
        "操作日志 20 第2页",
        "看看操作日志",
        "查一下操作记录",
        "最近的操作记录",
        "操作记录",
        "管理操作记录",
        "审计日志",
        "操作历史",
        "看日志",
        "最近20条操作日志",
        "最近10条操作记录",
        "操作记录第2页",
        "最近谁改了什么",
        "谁动了设置",
        "谁改了管理员",
        "最近有什么操作",
        "看看最近的管理操作",
        "audit log",
    ),
    phrasings=(
        (
            rf"{LOOK}(?:最近的?)?(?:操作记录|操作日志|审计日志|管理操作|操作历史|管理记录|日志)"
            rf"(?:记录)?{END}",
            "操作日志",
        ),
        (
            rf"{LOOK}最近(?:的)?(?P<count>\d+)条(?:的)?(?:操作记录|操作日志|管理操作|日志){END}",
            "操作日志 {count}",
        ),
        (rf"(?:操作记录|操作日志|日志)\s*第\s*(?P<page>\d+)\s*页{END}", "操作日志 第{page}页"),
        (rf"最近(?:谁|有人)(?:改了|动了|做了)(?:什么|哪些)?(?:设置|操作|东西)?{END}", "操作日志"),
        (rf"(?:谁|是谁)(?:动了|改了)(?:设置|管理员|角色|派单员){END}", "操作日志"),
        (rf"最近有(?:什么|哪些)(?:管理)?操作{END}", "操作日志"),
    ),
)
async def show_audit_log(ctx: Context) -> str:
    """（管理员）查看最近的管理操作，例如：操作日志 20"""
    size, page = log_window(ctx.args)
    rows, total = await audit.recent(ctx.tenant.id, limit=size, offset=(page - 1) * size)
    if not total:
        return LOG_EMPTY
    pages = _pages(total, size)
    if not rows:
        raise UserFacingError(LOG_NO_PAGE.format(pages=pages, size=size))
    if page == 1:
        head = LOG_HEAD.format(shown=len(rows), total=total)
    else:
        head = LOG_PAGE_HEAD.format(page=page, pages=pages, size=size, total=total)
    lines = [head, *(_log_row(row, ctx.tenant.timezone) for row in rows)]
    if page < pages:
        lines.append(LOG_NEXT.format(size=size, next=page + 1))
    return "\n".join(lines)


def _log_row(entry: AuditEntry, tz: ZoneInfo) -> str:
    summary = f"：{entry.summary}" if entry.summary else ""
    return LOG_ROW.format(
        when=entry.created_at.astimezone(tz).strftime(TIME_FORMAT),
        who=entry.userid,
        where=LOG_GROUP if entry.chat_type == ChatType.GROUP.value else "",
        command=entry.command,
        result=audit.RESULT_WORDS[entry.result],
        summary=summary,
    )
