"""One way to name a colleague in any command: 李四, lisi, lisi's alias, or @李四 from a group.

The address book (``models.people``) is the authority once it has been synced: anyone in the
app's visible range can be named, whether or not they ever talked to the bot. Two members
with the same name get a numbered choice showing their departments; the answer ("2") runs
the command again with the chosen userid (``handlers.people.pick``). A name nobody has gets
the closest names and, since the usual cause is the visible range, what an admin changes.

Before a tenant's first sync only the colleagues the bot has met are known by name, and a
userid is taken as written: there is nothing to check it against yet.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from bot.dispatch.args import USERID_RE
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.people.store import department_names, employee_for
from models.people import DirectoryMember, DirectorySync, MemberStatus
from models.tenants import Employee, Role

PICK_STATE = "people_pick"
PICK_TTL = timedelta(minutes=10)
MAX_CHOICES = 9
MAX_SUGGESTIONS = 3

EMPTY = "请写同事的名字或企业微信账号，例如：李四 或 lisi"
SEVERAL = "有 {count} 位同事叫「{name}」，你说的是哪一位？"
CHOICE = "{n}. {name}（{where}）"
PICK_HINT = "请回复序号，回复「取消」放弃。"
USERID_HINT = "请回复括号里的企业微信账号。"
NOT_FOUND = "没找到同事「{name}」。"
SUGGEST = "你是不是要找：{names}？"
VISIBLE_RANGE = (
    "如果 TA 是新同事或不在本应用的可见范围内，请管理员在企业微信管理后台 → 应用管理 → "
    "本应用 → 可见范围 里加上 TA，再发送「同步通讯录」。"
)
NOT_SYNCED = (
    "通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
    "也可以写企业微信账号，例如：lisi"
)
HAS_LEFT = "{who}已不在企业微信通讯录里（已离职或移出可见范围），不能再{what}。"
HAS_LEFT_HINT = "TA 的客户可以用「离职交接 {userid} 给 同事名字」交给别人。"
NO_DEPARTMENT = "未分部门"
LEFT_MARK = "（已离开）"

_TRIM = re.compile(r"^[@＠\s]+|[\s。，,.!！?？]+$")
T = TypeVar("T")


class ColleagueChoice(UserFacingError):
    """Several colleagues fit: the numbered question, with the choice kept in the speaker's
    conversation. Handlers wrapped in ``answers_choice`` answer it as a normal reply, so the
    kept choice commits with it."""


def answers_choice(
    handler: Callable[[Context], Awaitable[T]],
) -> Callable[[Context], Awaitable[T | str]]:
    @functools.wraps(handler)
    async def run(ctx: Context) -> T | str:
        try:
            return await handler(ctx)
        except ColleagueChoice as choice:
            return choice.message

    return run


def clean(who: str) -> str:
    return _TRIM.sub("", who)


async def directory_synced(tenant_id: int) -> bool:
    return await DirectorySync.exists(tenant_id=tenant_id, finished_at__isnull=False)


async def resolve_colleague(
    ctx: Context, who: str, *, what: str = "接手", allow_left: bool = False
) -> Employee:
    """The colleague ``who`` names, with an ``Employee`` row (made now for someone who never
    talked to the bot). ``what`` says what the command would have them do, for the reply
    about someone who left; ``allow_left`` lets handovers name people who left."""
    found = await _find(ctx, who, what, allow_left)
    if isinstance(found, Employee):
        return found
    return await _unchecked_userid(ctx, found)


async def resolve_userid(
    ctx: Context, who: str, *, what: str = "接手", allow_left: bool = False
) -> str:
    """The same, for commands that keep people by userid (roles, seats): no row is made
    for a userid nobody can check yet."""
    found = await _find(ctx, who, what, allow_left)
    return found.userid if isinstance(found, Employee) else found


async def _find(ctx: Context, who: str, what: str, allow_left: bool) -> Employee | str:
    """An Employee, or a userid taken as written before the tenant's first sync."""
    name = clean(who)
    if not name:
        raise UserFacingError(EMPTY)
    tenant_id = ctx.tenant.id
    matches = await _directory_matches(tenant_id, name)
    active = [m for m in matches if m.status == MemberStatus.ACTIVE]
    pool = matches if allow_left else active
    if len(pool) == 1:
        return await employee_for(tenant_id, pool[0], ctx.clock.now())
    if len(pool) > 1:
        raise await _offer_choice(ctx, name, pool)
    if matches:
        raise UserFacingError(_left_reply(matches[0], what))
    employee = await _known_employee(tenant_id, name)
    if employee is not None:
        return employee
    synced = await directory_synced(tenant_id)
    if not synced and USERID_RE.match(name):
        return name
    raise UserFacingError(await _not_found(tenant_id, name, synced))


async def _directory_matches(tenant_id: int, name: str) -> list[DirectoryMember]:
    members = DirectoryMember.filter(tenant_id=tenant_id)
    by_userid = await members.filter(userid__iexact=name).limit(1)
    if by_userid:
        return list(by_userid)
    named = await members.filter(name=name).order_by("userid").limit(MAX_CHOICES + 1)
    if named:
        return list(named)
    return list(await members.filter(alias__iexact=name).order_by("userid").limit(MAX_CHOICES))


async def _known_employee(tenant_id: int, name: str) -> Employee | None:
    employee = await Employee.get_or_none(tenant_id=tenant_id, userid=name)
    if employee is not None:
        return employee
    named = await Employee.filter(tenant_id=tenant_id, name=name).limit(2)
    return named[0] if len(named) == 1 else None


async def _unchecked_userid(ctx: Context, userid: str) -> Employee:
    now = ctx.clock.now()
    employee, _ = await Employee.get_or_create(
        tenant_id=ctx.tenant.id,
        userid=userid,
        defaults={"role": Role.MEMBER, "first_seen_at": now, "last_seen_at": now},
    )
    return employee


def where(member: DirectoryMember, departments: dict[int, str]) -> str:
    names = [departments[d] for d in member.departments if d in departments]
    return "、".join(names[:2]) or NO_DEPARTMENT


async def _offer_choice(
    ctx: Context, name: str, members: Sequence[DirectoryMember]
) -> ColleagueChoice:
    departments = await department_names(ctx.tenant.id)
    shown = list(members[:MAX_CHOICES])
    lines = [SEVERAL.format(count=len(shown), name=name[:20])]
    lines += [
        CHOICE.format(n=n, name=m.name, where=f"{where(m, departments)}，{m.userid}")
        + (LEFT_MARK if m.status == MemberStatus.LEFT else "")
        for n, m in enumerate(shown, 1)
    ]
    conversation = ctx.conversation
    if conversation is None or conversation.state is not None:
        # Mid-step (转给谁？) the step's own question stays; the answer is the userid.
        lines.append(USERID_HINT)
        return ColleagueChoice("\n".join(lines))
    lines.append(PICK_HINT)
    data = {"text": ctx.update.text, "name": name, "userids": [m.userid for m in shown]}
    await conversation.set(PICK_STATE, data, ttl=PICK_TTL)
    return ColleagueChoice("\n".join(lines))


def _left_reply(member: DirectoryMember, what: str) -> str:
    who = f"{member.name}（{member.userid}）" if member.name else member.userid
    return HAS_LEFT.format(who=who, what=what) + HAS_LEFT_HINT.format(userid=member.userid)


async def _not_found(tenant_id: int, name: str, synced: bool) -> str:
    if not synced:
        return NOT_FOUND.format(name=name[:20]) + NOT_SYNCED
    close = await suggestions(tenant_id, name)
    reply = NOT_FOUND.format(name=name[:20])
    if close:
        reply += SUGGEST.format(names="、".join(close))
    return reply + VISIBLE_RANGE


async def suggestions(tenant_id: int, name: str) -> list[str]:
    """Active members whose name or userid is closest to ``name`` (李斯 → 李四)."""
    rows = await DirectoryMember.filter(tenant_id=tenant_id, status=MemberStatus.ACTIVE).only(
        "userid", "name", "departments"
    )
    by_key: dict[str, DirectoryMember] = {}
    for member in rows:
        for key in (member.name, member.userid):
            if key:
                by_key.setdefault(key.lower(), member)
    close = difflib.get_close_matches(name.lower(), list(by_key), n=MAX_SUGGESTIONS, cutoff=0.5)
    departments = await department_names(tenant_id)
    seen: dict[str, str] = {}
    for key in close:
        member = by_key[key]
        seen.setdefault(
            member.userid, f"{member.name or member.userid}（{where(member, departments)}）"
        )
    return list(seen.values())
