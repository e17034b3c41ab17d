"""转交 (an employee hands a customer to a colleague) and 离职交接 (an admin hands over a
departed employee's customers). WeChat customers move through WeCom's transfer APIs and
change owner when WeCom confirms; customers typed in here move at once."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.crm.book import add_note, employee_label
from bot.crm.cards import render_card
from bot.crm.picking import CustomerAction, begin, finish, viewer_of
from bot.crm.transfers import reason_text, record_transfer
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.people.resolve import resolve_colleague
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import MAX_BATCH_USERS, transfer_customers
from handlers.crm.phrasings import (
    HANDOVER_EXAMPLES,
    HANDOVER_PHRASINGS,
    TRANSFER_EXAMPLES,
    TRANSFER_PHRASINGS,
)
from models.crm.customers import Customer, CustomerFollower, FollowerStatus, NoteKind
from models.crm.ops import TransferKind
from models.tenants import Employee, Role

router = Router(__name__, title="客户", module="crm")

TRANSFER_USAGE = "请按这个格式写：转交 张三 给 lisi（写同事的企业微信账号）"
HANDOVER_USAGE = "请按这个格式写：离职交接 wangwu 给 lisi（写企业微信账号）"
TO_SELF = "不能转交给自己。"
NOT_FOLLOWER = "你不是「{name}」在企业微信里的跟进人，不能转交。"
NOT_OWNER = "「{name}」不是你负责的客户，不能转交。"
MOVED = "已把 {name} 转交给 {to}。"
YOU_GOT = "{by} 把客户 {name} 转交给了你：\n{card}"
REQUESTED = (
    "已向企业微信发起转交：{name} → {to}。客户同意后（或 24 小时后自动）生效，届时负责人改为 {to}。"
)
REFUSED = "转交 {name} 失败：{reason}。"
NOTHING_TO_HAND = "{who} 名下没有客户。"
HANDED = "已为 {who} 的 {count} 位企业微信客户发起离职继承给 {to}：成功 {ok} 位，失败 {failed} 位。"
HANDED_FAILURES = "失败的客户：{items}"
YOU_HANDED = "{by} 把离职同事 {who} 的客户交给了你，发送「我的客户」查看。"
OFFLINE_MOVED = "另有 {count} 位线下客户已直接转给 {to}。"
TRANSFER_NOTE = "由 {by} 转交给 {to}"
TAKEOVER, ERRCODE, HANDOVER = "crm.transfer.takeover", "crm.transfer.errcode", "crm.handover"
_TO = re.compile(r"^(?P<who>.+?)\s*给\s*(?P<to>\S+)$")


def parse_transfer(args: str, usage: str = TRANSFER_USAGE) -> tuple[str, str]:
    match = _TO.match(args.strip())
    if match is None:
        raise UserFacingError(usage)
    return match.group("who").strip(), match.group("to")


async def _colleague(ctx: Context, who: str, *, allow_left: bool = False) -> Employee:
    return await resolve_colleague(ctx, who, what="接手客户", allow_left=allow_left)


async def start_transfer(ctx: Context, customer: Customer, to: str) -> None:
    takeover = await _colleague(ctx, to)
    me = ctx.employee
    if me is None or takeover.id == me.id:
        raise UserFacingError(TO_SELF)
    ctx.deps[TAKEOVER] = takeover
    if not customer.external_userid:
        if customer.owner_id != me.id and not ctx.is_admin:
            raise UserFacingError(NOT_OWNER.format(name=customer.display_name))
        return
    follows = await CustomerFollower.exists(
        customer_id=customer.id, employee_id=me.id, status=FollowerStatus.ACTIVE
    )
    if not follows:
        raise UserFacingError(NOT_FOLLOWER.format(name=customer.display_name))
    ctx.deps[ERRCODE] = await _ask_wecom(ctx, me, takeover, customer.external_userid)


async def _ask_wecom(ctx: Context, me: Employee, takeover: Employee, external_userid: str) -> int:
    """WeCom's answer for this customer: 0 when the handover has started."""
    client: WeComClient = ctx.deps["client"]
    creds = ctx.tenant.credentials
    try:
        codes = await transfer_customers(
            client, creds, me.userid, takeover.userid, [external_userid], resigned=False
        )
    except WeComAPIError as exc:
        return exc.errcode
    return codes.get(external_userid, -1)


async def move_offline(
    ctx: Context, customer: Customer, takeover: Employee, *, notify: bool = True
) -> None:
    now = ctx.clock.now()
    await Customer.filter(id=customer.id).update(owner_id=takeover.id, updated_at=now)
    customer.owner_id = takeover.id
    by = employee_label(ctx.employee)
    note = TRANSFER_NOTE.format(by=by, to=employee_label(takeover))
    await add_note(customer, NoteKind.TRANSFER, note, now, ctx.employee)
    if notify:
        card = await render_card(customer, viewer_of(ctx))
        ctx.send(takeover.userid, YOU_GOT.format(by=by, name=customer.display_name, card=card))


async def finish_transfer(ctx: Context, customer: Customer, to: str) -> str:
    takeover: Employee = ctx.deps[TAKEOVER]
    name, to_label = customer.display_name, employee_label(takeover)
    if not customer.external_userid:
        await move_offline(ctx, customer, takeover)
        return MOVED.format(name=name, to=to_label)
    assert ctx.employee is not None
    errcode = int(ctx.deps[ERRCODE])
    await record_transfer(
        customer,
        TransferKind.ON_JOB,
        ctx.employee.userid,
        takeover.userid,
        ctx.employee.userid,
        errcode,
        ctx.clock.now(),
    )
    if errcode != 0:
        return REFUSED.format(name=name, reason=reason_text(errcode))
    note = TRANSFER_NOTE.format(by=employee_label(ctx.employee), to=to_label) + "（等待客户确认）"
    await add_note(customer, NoteKind.TRANSFER, note, ctx.clock.now(), ctx.employee)
    return REQUESTED.format(name=name, to=to_label)


TRANSFER = CustomerAction("transfer", finish_transfer, start_transfer)


async def prepare_transfer(ctx: Context) -> None:
    await begin(ctx, TRANSFER, parse_transfer)


@router.command(
    "转交",
    prepare=prepare_transfer,
    slots=("who", "to"),
    fill="转交 {who} 给 {to}",
    examples=TRANSFER_EXAMPLES,
    phrasings=TRANSFER_PHRASINGS,
)
async def transfer_command(ctx: Context) -> str:
    """把客户转交给同事，例如：转交 张三 给 lisi"""
    return await finish(ctx, TRANSFER)


async def _hand_over(
    ctx: Context, handover: Employee, takeover: Employee, external_userids: Sequence[str]
) -> dict[str, int]:
    client: WeComClient = ctx.deps["client"]
    codes: dict[str, int] = {}
    for start in range(0, len(external_userids), MAX_BATCH_USERS):
        chunk = external_userids[start : start + MAX_BATCH_USERS]
        try:
            codes.update(
                await transfer_customers(
                    client,
                    ctx.tenant.credentials,
                    handover.userid,
                    takeover.userid,
                    chunk,
                    resigned=True,
                )
            )
        except WeComAPIError as exc:
            codes.update(dict.fromkeys(chunk, exc.errcode))
    return codes


async def prepare_handover(ctx: Context) -> None:
    who, to = parse_transfer(ctx.args, HANDOVER_USAGE)
    handover = await _colleague(ctx, who, allow_left=True)
    takeover = await _colleague(ctx, to)
    if handover.id == takeover.id:
        raise UserFacingError(TO_SELF)
    followed = await Customer.filter(
        tenant_id=ctx.tenant.id,
        followers__employee_id=handover.id,
        followers__status=FollowerStatus.ACTIVE,
        external_userid__isnull=False,
    ).distinct()
    external = [c.external_userid for c in followed if c.external_userid]
    codes = await _hand_over(ctx, handover, takeover, external)
    ctx.deps[HANDOVER] = (handover, takeover, followed, codes)


async def _record_handover(ctx: Context) -> tuple[list[str], int]:
    handover, takeover, followed, codes = ctx.deps[HANDOVER]
    assert ctx.employee is not None
    failures, now = [], ctx.clock.now()
    for customer in followed:
        errcode = codes.get(customer.external_userid, -1)
        await record_transfer(
            customer,
            TransferKind.RESIGNED,
            handover.userid,
            takeover.userid,
            ctx.employee.userid,
            errcode,
            now,
        )
        if errcode != 0:
            failures.append(f"{customer.display_name}（{reason_text(errcode)}）")
    return failures, len(followed)


@router.command(
    "离职交接",
    roles=[Role.ADMIN],
    chats=[ChatType.SINGLE, ChatType.GROUP],
    prepare=prepare_handover,
    slots=("who", "to"),
    fill="离职交接 {who} 给 {to}",
    examples=HANDOVER_EXAMPLES,
    phrasings=HANDOVER_PHRASINGS,
)
async def handover_command(ctx: Context) -> str:
    """（管理员）把离职同事的客户交给别人，例如：离职交接 wangwu 给 lisi"""
    handover, takeover, _, _ = ctx.deps[HANDOVER]
    who, to = employee_label(handover), employee_label(takeover)
    failures, count = await _record_handover(ctx)
    offline = await Customer.filter(
        tenant_id=ctx.tenant.id, owner_id=handover.id, external_userid__isnull=True
    )
    for customer in offline:
        await move_offline(ctx, customer, takeover, notify=False)
    if count or offline:
        ctx.send(takeover.userid, YOU_HANDED.format(by=employee_label(ctx.employee), who=who))
    if not count and not offline:
        return NOTHING_TO_HAND.format(who=who)
    lines = [
        HANDED.format(who=who, count=count, to=to, ok=count - len(failures), failed=len(failures))
    ]
    if failures:
        lines.append(HANDED_FAILURES.format(items="、".join(failures)))
    if offline:
        lines.append(OFFLINE_MOVED.format(count=len(offline), to=to))
    return "\n".join(lines)
