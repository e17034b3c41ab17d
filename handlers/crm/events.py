"""WeCom's customer-contact callbacks (change_external_contact).

Customers adding an employee are stored and greeted at once (``prepare`` fetches the contact
and sends the welcome message before the database transaction opens, because WeCom allows
it only within 20 seconds); a customer deleting an employee is reported to that employee at
once; handovers settle here.
"""

from __future__ import annotations

import logging

from bot.crm.book import (
    add_note,
    customer_by_external,
    employee_label,
    end_follow,
    upsert_contact,
    upsert_follower,
)
from bot.crm.cards import Viewer, render_card
from bot.crm.transfers import TRANSFERRED_NOTE, complete_transfer, fail_transfer, failed_notice
from bot.crm.valuation import refresh_value
from bot.crm.welcome import WelcomeRequest, WelcomeResult, WelcomeStatus, greet
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.notices import notice_replies, told
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import (
    ContactDetail,
    ExternalContact,
    FollowInfo,
    get_contact,
    member_name,
)
from models.crm.customers import Customer, CustomerFollower, FollowerStatus, NoteKind
from models.people import DirectoryMember
from models.tenants import Employee

logger = logging.getLogger(__name__)

router = Router(__name__, title="客户", module="crm")

EVENT = "change_external_contact"
CONTACT, WELCOME, EMPLOYEE_NAME = "crm.contact", "crm.welcome", "crm.employee_name"
ADDED = "添加了 {employee}"
ADDED_VIA = "通过「{state}」添加了 {employee}"
WELCOMED = "发送欢迎语：{text}"
LOST = "删除了 {employee}"
REMOVED = "{employee} 删除了客户"
ARCHIVE_AGREED = "同意了与 {employee} 的会话存档"
YOU_WERE_DELETED = "客户{name}删除了你。\n\n{card}"


async def fetch_contact(ctx: Context) -> None:
    """Prepare step: the customer as WeCom describes them (None if WeCom will not say)."""
    external_userid = ctx.update.external_user_id
    ctx.deps[CONTACT] = None
    if not external_userid:
        return
    client: WeComClient = ctx.deps["client"]
    try:
        ctx.deps[CONTACT] = await get_contact(client, ctx.tenant.credentials, external_userid)
    except WeComAPIError as exc:
        logger.warning(
            "externalcontact/get %s for tenant %s failed: %s", external_userid, ctx.tenant.key, exc
        )


async def learn_employee_name(ctx: Context) -> None:
    """{员工名} needs a name: the synced address book's, else one asked of user/get."""
    employee = ctx.employee
    if employee is None or employee.name:
        return
    member = await DirectoryMember.get_or_none(tenant_id=ctx.tenant.id, userid=employee.userid)
    if member is not None and member.name:
        employee.name = ctx.deps[EMPLOYEE_NAME] = member.name
        return
    try:
        name = await member_name(ctx.deps["client"], ctx.tenant.credentials, employee.userid)
    except WeComAPIError as exc:
        logger.info("user/get %s for tenant %s: %s", employee.userid, ctx.tenant.key, exc)
        return
    if name:
        employee.name = name[:64]
        ctx.deps[EMPLOYEE_NAME] = employee.name


async def fetch_and_greet(ctx: Context) -> None:
    await fetch_contact(ctx)
    await learn_employee_name(ctx)
    detail: ContactDetail | None = ctx.deps[CONTACT]
    request = WelcomeRequest(
        tenant=ctx.tenant,
        welcome_code=str(ctx.update.fields.get("WelcomeCode", "")),
        state=str(ctx.update.fields.get("State", "")),
        event_at=ctx.update.created_at,
        customer_name=detail.contact.name if detail else "",
        employee_name=employee_label(ctx.employee),
        external_userid=ctx.update.external_user_id or "",
    )
    ctx.deps[WELCOME] = await greet(ctx.deps["client"], request, ctx.clock.now())


def _minimal_detail(ctx: Context) -> ContactDetail:
    """What the callback itself says, for when externalcontact/get failed."""
    follow = FollowInfo(ctx.update.user_id or "", state=str(ctx.update.fields.get("State", "")))
    contact = ExternalContact(ctx.update.external_user_id or "", "", 1)
    return ContactDetail(contact, (follow,) if follow.userid else ())


async def _store(ctx: Context) -> Customer | None:
    external_userid = ctx.update.external_user_id
    if not external_userid:
        return None
    detail: ContactDetail | None = ctx.deps.get(CONTACT)
    now = ctx.clock.now()
    if detail is not None:
        return (await upsert_contact(ctx.tenant.id, detail, now))[0]
    fallback = _minimal_detail(ctx)
    existing = await customer_by_external(ctx.tenant.id, external_userid)
    if existing is None:
        return (await upsert_contact(ctx.tenant.id, fallback, now))[0]
    # Keep what we knew about them; only the relationship from the callback is new.
    for follow in fallback.follows:
        await upsert_follower(existing, follow, now)
    return existing


@router.event(EVENT, "add_external_contact", "add_half_external_contact", prepare=fetch_and_greet)
async def customer_added(ctx: Context) -> None:
    if EMPLOYEE_NAME in ctx.deps and ctx.employee is not None:
        await Employee.filter(id=ctx.employee.id).update(name=ctx.deps[EMPLOYEE_NAME])
    customer = await _store(ctx)
    if customer is None:
        return
    now, state = ctx.clock.now(), str(ctx.update.fields.get("State", ""))
    employee = employee_label(ctx.employee)
    text = (
        ADDED_VIA.format(state=state, employee=employee)
        if state
        else ADDED.format(employee=employee)
    )
    await add_note(customer, NoteKind.ADDED, text, now, ctx.employee)
    welcome: WelcomeResult | None = ctx.deps.get(WELCOME)
    if welcome is not None and welcome.status is WelcomeStatus.SENT:
        await add_note(
            customer, NoteKind.WELCOME, WELCOMED.format(text=welcome.text), now, ctx.employee
        )
    await refresh_value(customer, now)


@router.event(EVENT, "edit_external_contact", prepare=fetch_contact)
async def customer_edited(ctx: Context) -> None:
    if ctx.deps.get(CONTACT) is not None:
        await _store(ctx)


@router.event(EVENT, "del_external_contact")
async def employee_removed_customer(ctx: Context) -> None:
    customer = await customer_by_external(ctx.tenant.id, ctx.update.external_user_id)
    if customer is None or ctx.employee is None:
        return
    now = ctx.clock.now()
    if ctx.update.fields.get("Source") == "DELETE_BY_TRANSFER":
        ended = await end_follow(customer, ctx.employee, FollowerStatus.TRANSFERRED, now)
        transfer = await complete_transfer(customer, ctx.employee.userid, now)
        if not ended and transfer is None:
            return  # transfer_result settled it already, note and all
        takeover = transfer.takeover_userid if transfer else "新的跟进人"
        text = TRANSFERRED_NOTE.format(handover=employee_label(ctx.employee), takeover=takeover)
        await add_note(customer, NoteKind.TRANSFER, text, now)
        return
    if await end_follow(customer, ctx.employee, FollowerStatus.REMOVED, now):
        text = REMOVED.format(employee=employee_label(ctx.employee))
        await add_note(customer, NoteKind.REMOVED, text, now, ctx.employee)


@router.event(EVENT, "del_follow_user")
async def customer_deleted_employee(ctx: Context) -> None:
    customer = await customer_by_external(ctx.tenant.id, ctx.update.external_user_id)
    if customer is None or ctx.employee is None:
        return
    now = ctx.clock.now()
    if not await end_follow(customer, ctx.employee, FollowerStatus.LOST, now):
        return
    await add_note(customer, NoteKind.LOST, LOST.format(employee=employee_label(ctx.employee)), now)
    viewer = Viewer(ctx.employee.id, ctx.is_admin, ctx.tenant.timezone, now)
    card = await render_card(customer, viewer)
    ctx.reply(YOU_WERE_DELETED.format(name=customer.display_name, card=card))


@router.event(EVENT, "msg_audit_approved")
async def customer_agreed_to_archiving(ctx: Context) -> None:
    """The customer agreed that their chats with this employee are archived (会话存档)."""
    customer = await customer_by_external(ctx.tenant.id, ctx.update.external_user_id)
    if customer is None or ctx.employee is None:
        logger.info("msg_audit_approved for a customer not in the book; skipped")
        return
    now = ctx.clock.now()
    agreed = await CustomerFollower.filter(
        customer_id=customer.id, employee_id=ctx.employee.id, archive_agreed_at__isnull=True
    ).update(archive_agreed_at=now)
    if agreed:
        text = ARCHIVE_AGREED.format(employee=employee_label(ctx.employee))
        await add_note(customer, NoteKind.ARCHIVE, text, now, ctx.employee)


@router.event(EVENT, "transfer_fail")
async def transfer_failed(ctx: Context) -> None:
    customer = await customer_by_external(ctx.tenant.id, ctx.update.external_user_id)
    if customer is None:
        return
    reason = str(ctx.update.fields.get("FailReason", ""))
    transfer = await fail_transfer(customer, reason, ctx.clock.now())
    if transfer is None:
        logger.info("transfer_fail for customer %s with no pending transfer", customer.id)
        return
    text = failed_notice(customer, transfer)
    notices = await notice_replies(ctx.tenant, text)
    ctx.replies.extend(notices)
    if transfer.initiator_userid not in told(notices):  # whoever asked hears it either way
        ctx.send(transfer.initiator_userid, text)
