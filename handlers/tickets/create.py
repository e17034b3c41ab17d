"""Work orders: 新建工单 ("which 张三?" answered by the next message) and 派单 with its card."""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from bot.crm.cards import render_list
from bot.crm.picking import take_numbered_customer, viewer_of
from bot.crm.search import search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.people.resolve import answers_choice
from bot.tickets import phrasings, workflow
from bot.tickets.cards import dispatch_card
from bot.tickets.numbers import LATEST, LEADING_REF, customer_named, find_ticket
from bot.tickets.people import find_colleague, may_dispatch
from bot.tickets.store import NewTicket, employee_of, label, open_ticket
from bot.tickets.wording import PRIORITY_BY_WORD, PRIORITY_WORDS, time_words
from models.crm.customers import Customer
from models.tenants import Employee, Role
from models.tickets import OPEN_STATUSES, Ticket, TicketPriority

router = Router(__name__, title="工单", module="tickets")


class TicketStep(StrEnum):
    PICK_CUSTOMER = "ticket_pick_customer"
    ASK_CUSTOMER = "ticket_ask_customer"


INTERNAL_WORDS = ("内部", "无", "无客户")
# 「客户那边复印机一直卡纸，帮我开个维修单」names no customer: the problem is kept and the
# next message says whose it is (understood sentences say 待定 where the customer goes).
LATER_WORDS = ("待定", "未定", "稍后")
ASK_WHICH = (
    "记下了问题：{title}。这是哪位客户的？回复客户名（如 张总、星辰科技），"
    "内部问题回复「内部」，不建了回复「取消」。"
)
ASK_AGAIN = (
    "没有找到客户「{name}」。请回复客户名（可以只写姓加称呼，如 张总），或「内部」「取消」。"
)
GAVE_UP = (
    "还是没有找到客户「{name}」，这张工单先没建。问题是：{title}\n"
    "先「新建客户 客户名」，再发送「新建工单 客户名 {title}」。"
)
NEW_USAGE = (
    "请按这个格式写：新建工单 客户名 问题描述 [紧急/高/中/低] [类别 硬件]，"
    "例如：新建工单 张三 打印机无法开机 紧急。内部工单的客户名写「内部」。"
)
CREATED = (
    "已创建工单 {number}：{title}\n客户：{customer} · 优先级：{priority} · 类别：{category}\n"
    "首次响应截止 {response}，解决截止 {resolution}。\n{next}"
)
NEXT_DISPATCH = "派单发送「派单 {tail} 给 姓名」。"
NEXT_SELF = "自己处理发送「处理中 {tail}」。"
TO_DISPATCHERS = (
    "【新工单待派单】{number} {title}（{priority}），客户：{customer}，创建人：{creator}。"
)
NO_CUSTOMER = (
    "没有找到客户「{name}」。请先「新建客户 {name}」，或写「新建工单 内部 问题描述」建内部工单。"
)
SEVERAL = "找到 {count} 个「{query}」相关的客户，这张工单是哪一位的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
CANCELLED = "好的，没有创建这张工单。"
DISPATCH_USAGE = "请按这个格式写：派单 0001 给 李四（工单编号，再写同事的姓名或账号）"
DISPATCHED = "已把工单 {number} 派给 {assignee}，等待对方接单。"
TO_CREATOR = "你创建的工单 {number}「{title}」已派给 {assignee}。"
NO_LATEST = "你最近没有未完成的工单。请写工单号，例如：工单 0001"
NO_OPEN_FOR = "「{who}」没有未完成的工单。请写工单号，例如：工单 0001"
SEVERAL_FOR = "「{who}」有 {count} 张未完成的工单，请写工单号：\n{numbers}"
NOT_FOUND = (
    "没有找到工单「{ref}」。发送「我的工单」看你的工单，或写完整编号，例如：工单 GD-20261123-0001"
)
DISPATCH_PATTERN = re.compile(
    r"^\s*(?P<ref>(?:工单)?\s*[#第]?[A-Za-z0-9-]+(?:号|个|张)?(?:工单)?)\s*(?:给|to\s)?\s*(?P<who>\S+)\s*$",
    re.I,
)


# 「类别 硬件」「类别：软件」「，类别软件」: the category, wherever it is written
_CATEGORY = re.compile(r"(?:^|[，,；;\s]+)类别[\s：:是为]*(?P<category>[^\s，,；;。]+)")
# The priority at the end: the canonical word, 优先级高 / 优先级：紧急, or as people say it
_PRIORITY = re.compile(
    r"(?:^|[，,；;\s]+)(?:(?:优先级|级别)[\s：:是为]*(?P<level>紧急|高|中|低)"
    r"|(?P<said>紧急|很急|加急|特急|急|不急|不着急|不紧急|高优先级|低优先级|高|中|低))"
    r"[的吧。！!]*$"
)
PRIORITY_SAID = {
    "很急": "紧急", "加急": "紧急", "特急": "紧急", "急": "紧急",
    "不急": "低", "不着急": "低", "不紧急": "低", "高优先级": "高", "低优先级": "低",
}  # fmt: skip


def parse_new(args: str) -> tuple[str, NewTicket]:
    """(customer name, the ticket) from "张三 打印机无法开机 紧急 类别 硬件" (or "…，类别软件，
    不急")."""
    who, _, rest = " ".join(args.split()).partition(" ")
    category = ""
    found = _CATEGORY.search(rest)
    if found is not None:
        category = found.group("category")[:32]
        rest = rest[: found.start()] + rest[found.end() :]
    elif rest.rstrip().endswith("类别"):
        raise UserFacingError(NEW_USAGE)
    priority = TicketPriority.NORMAL
    said = _PRIORITY.search(rest)
    if said is not None and said.start() == 0:
        raise UserFacingError(NEW_USAGE)  # a priority, but no problem
    if said is not None:
        word = said.group("level") or said.group("said")
        priority = PRIORITY_BY_WORD[PRIORITY_SAID.get(word, word)]
        rest = rest[: said.start()]
    text = rest.strip(" ，,；;。")
    if not who or not text:
        raise UserFacingError(NEW_USAGE)
    return who, NewTicket(title=text, description=text, priority=priority, category=category)


async def ticket_or_refusal(ctx: Context, ref: str) -> Ticket:
    if ref.strip() == LATEST:
        return await _latest(ctx)
    who = customer_named(ref)
    if who is not None:
        return await _customers_open_ticket(ctx, who)
    ticket = await find_ticket(ctx.tenant.id, ref)
    if ticket is None:
        raise UserFacingError(NOT_FOUND.format(ref=ref))
    return ticket


async def _latest(ctx: Context) -> Ticket:
    """「刚才那个工单」: the open ticket the speaker opened last, else the one last given them."""
    me = ctx.employee.id if ctx.employee else 0
    for mine in ({"creator_id": me}, {"assignee_id": me}):
        ticket = (
            await Ticket.filter(tenant_id=ctx.tenant.id, status__in=OPEN_STATUSES, **mine)
            .order_by("-created_at", "-id")
            .first()
        )
        if ticket is not None:
            return ticket
    raise UserFacingError(NO_LATEST)


async def _customers_open_ticket(ctx: Context, who: str) -> Ticket:
    """「张总那个工单」: the customer's one open ticket; several are listed to choose by number."""
    customers = [c.id for c in await search_customers(ctx.tenant.id, who)]
    found = (
        await Ticket.filter(
            tenant_id=ctx.tenant.id, customer_id__in=customers, status__in=OPEN_STATUSES
        ).order_by("created_at", "id")
        if customers
        else []
    )
    if not found:
        raise UserFacingError(NO_OPEN_FOR.format(who=who))
    if len(found) > 1:
        numbers = "\n".join(f"{t.number} {t.title}" for t in found)
        raise UserFacingError(SEVERAL_FOR.format(who=who, count=len(found), numbers=numbers))
    return found[0]


@router.message(StateIs(TicketStep.PICK_CUSTOMER), Command("取消", "cancel"))
async def cancel_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(TicketStep.PICK_CUSTOMER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_customer(ctx: Context) -> str:
    customer, data = await take_numbered_customer(ctx)
    new = NewTicket(
        title=data["title"],
        description=data["description"],
        priority=TicketPriority(data["priority"]),
        category=data["category"],
        customer=customer,
    )
    return await _create(ctx, new)


@router.command(
    "新建工单",
    "new ticket",
    slots=("who", "problem"),
    fill="新建工单 {who?=待定} {problem}",
    examples=phrasings.CREATE_EXAMPLES,
    phrasings=phrasings.CREATE,
)
async def create_ticket(ctx: Context) -> str:
    """新建工单 张三 打印机无法开机 紧急（可加「类别 硬件」；内部工单客户写「内部」）"""
    who, new = parse_new(ctx.args)
    if who in INTERNAL_WORDS:
        return await _create(ctx, new)
    if who in LATER_WORDS:
        assert ctx.conversation is not None
        await ctx.conversation.set(TicketStep.ASK_CUSTOMER, _data_of(new))
        return ASK_WHICH.format(title=new.title)
    return await _for_customer(ctx, who, new)


async def _for_customer(ctx: Context, who: str, new: NewTicket) -> str:
    found = await search_customers(ctx.tenant.id, who)
    exact = [c for c in found if c.name == who]
    candidates = exact or found
    if not candidates:
        return NO_CUSTOMER.format(name=who)
    if len(candidates) == 1:
        return await _create(ctx, replace(new, customer=candidates[0]))
    return await _ask_customer(ctx, who, new, candidates)


@router.message(StateIs(TicketStep.ASK_CUSTOMER), Command("取消", "cancel", "算了", "不建了"))
async def cancel_asking(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(TicketStep.ASK_CUSTOMER))
async def answer_customer(ctx: Context) -> str:
    """The customer of the ticket being opened; a second name not found gives up, saying
    the problem again so nothing typed is lost."""
    assert ctx.conversation is not None
    data = ctx.conversation.data
    new = _ticket_of(data)
    who = ctx.update.text.strip().strip("。，,.!！")
    if who in INTERNAL_WORDS:
        await ctx.conversation.clear()
        return await _create(ctx, new)
    if not await search_customers(ctx.tenant.id, who):
        if not data.get("asked_again"):
            await ctx.conversation.set(TicketStep.ASK_CUSTOMER, {**data, "asked_again": True})
            return ASK_AGAIN.format(name=who)
        await ctx.conversation.clear()
        return GAVE_UP.format(name=who, title=new.title)
    await ctx.conversation.clear()
    return await _for_customer(ctx, who, new)


def _data_of(new: NewTicket) -> dict[str, object]:
    return {**_fields(new), "priority": new.priority.value}


def _ticket_of(data: dict[str, object]) -> NewTicket:
    return NewTicket(
        title=str(data["title"]),
        description=str(data["description"]),
        priority=TicketPriority(str(data["priority"])),
        category=str(data["category"]),
    )


def _fields(new: NewTicket) -> dict[str, object]:
    return {
        "title": new.title,
        "description": new.description,
        "priority": new.priority,
        "category": new.category,
    }


async def _ask_customer(ctx: Context, who: str, new: NewTicket, found: list[Customer]) -> str:
    assert ctx.conversation is not None
    shown = found[:10]
    data = {**_data_of(new), "ids": [c.id for c in shown]}
    await ctx.conversation.set(TicketStep.PICK_CUSTOMER, data)
    header = SEVERAL.format(count=len(shown), query=who)
    return render_list(header, shown, viewer_of(ctx), PICK_HINT)


async def _create(ctx: Context, new: NewTicket) -> str:
    ticket = await open_ticket(ctx, new)
    tz = ctx.tenant.timezone
    customer = new.customer.display_name if new.customer else "内部工单"
    tail = f"{ticket.seq:04d}"
    await _tell_dispatchers(ctx, ticket, customer)
    return CREATED.format(
        number=ticket.number,
        title=ticket.title,
        customer=customer,
        priority=PRIORITY_WORDS[ticket.priority],
        category=ticket.category or "无",
        response=time_words(ticket.response_due_at, tz),
        resolution=time_words(ticket.resolution_due_at, tz),
        next=(NEXT_DISPATCH if may_dispatch(ctx) else NEXT_SELF).format(tail=tail),
    )


async def _tell_dispatchers(ctx: Context, ticket: Ticket, customer: str) -> None:
    """A ticket someone else opened needs dispatching: tell the dispatchers (else admins)."""
    if may_dispatch(ctx):
        return
    rows = await Employee.filter(tenant_id=ctx.tenant.id, role=Role.DISPATCHER)
    userids = [e.userid for e in rows] or list(ctx.tenant.admins)
    text = TO_DISPATCHERS.format(
        number=ticket.number,
        title=ticket.title,
        priority=PRIORITY_WORDS[ticket.priority],
        customer=customer,
        creator=label(ctx.employee),
    )
    for userid in dict.fromkeys(userids):
        ctx.send(userid, text)


@router.command(
    "派单",
    "dispatch",
    args_like=LEADING_REF,
    roles=[Role.DISPATCHER],
    slots=("ticket", "who"),
    fill="派单 {ticket} 给 {who}",
    examples=phrasings.DISPATCH_EXAMPLES,
    phrasings=phrasings.DISPATCH,
)
@answers_choice
async def dispatch_ticket(ctx: Context) -> str:
    """派单 0001 给 李四（管理员、派单员）"""
    match = DISPATCH_PATTERN.match(ctx.args)
    if match is None:
        raise UserFacingError(DISPATCH_USAGE)
    ticket = await ticket_or_refusal(ctx, match["ref"])
    assignee = await find_colleague(ctx, match["who"])
    await hand_over(ctx, ticket, assignee, "assign")
    creator = await employee_of(ctx.tenant.id, ticket.creator_id)
    if creator is not None and creator.id not in (assignee.id, ctx.employee and ctx.employee.id):
        ctx.send(
            creator.userid,
            TO_CREATOR.format(number=ticket.number, title=ticket.title, assignee=label(assignee)),
        )
    return DISPATCHED.format(number=ticket.number, assignee=label(assignee))


async def hand_over(ctx: Context, ticket: Ticket, assignee: Employee, action: str) -> None:
    """Assign (派单 or 转派) and send the new assignee the card with 接单 / 转派."""
    detail = f"{'转派' if action == 'transfer' else '派'}给 {label(assignee)}"
    await workflow.assign(ctx, ticket, assignee, action=action, detail=detail)
    customer = await Customer.get_or_none(id=ticket.customer_id) if ticket.customer_id else None
    stamp = int(ctx.clock.now().timestamp())
    card = dispatch_card(
        ticket,
        ctx.tenant,
        customer.display_name if customer else "内部工单",
        label(ctx.employee),
        task_id=f"ticket-{ticket.id}-{assignee.id}-{stamp}",
    )
    ctx.send(assignee.userid, card)
