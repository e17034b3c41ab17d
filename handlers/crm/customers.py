"""The customer book in chat: 新建客户, 查客户, the card, 客户动态, notes and 我的客户."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.crm.book import add_note
from bot.crm.cards import render_card, render_list, render_timeline
from bot.crm.editing import phone_taken
from bot.crm.intake import parse_new_customer
from bot.crm.picking import (
    PICK_HINT,
    PICK_STATE,
    PICK_TTL,
    CustomerAction,
    begin,
    finish,
    viewer_of,
)
from bot.crm.search import PAGE_SIZE, my_customers, phone_digits
from bot.crm.valuation import refresh_value, value_new
from bot.dispatch.args import page_arg
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from handlers.crm.phrasings import (
    CREATE_EXAMPLES,
    CREATE_PHRASINGS,
    FIND_ANYTHING_EXAMPLES,
    FIND_ANYTHING_PHRASINGS,
    FIND_EXAMPLES,
    FIND_PHRASINGS,
    MY_EXAMPLES,
    MY_PHRASINGS,
    NOTE_EXAMPLES,
    NOTE_PHRASINGS,
    TIMELINE_EXAMPLES,
    TIMELINE_PHRASINGS,
)
from models.crm.customers import Customer, CustomerKind, NoteKind

# The bare 查 never shadows other modules' 查… words: the longest command word wins.
router = Router(__name__, title="客户", module="crm")

DUPLICATE_PHONE = "已有客户「{name}」使用这个手机号，发送「查 {phone}」查看。"
CREATED = "已新建客户：\n{card}"
KEPT = "{label}「{value}」记在了客户动态里。"
KEPT_NOTE = "{label}：{value}"
SEARCH_USAGE = "请写要查的客户，例如：查客户 张三、查 138、查 华夏"
NOTE_USAGE = "请按这个格式写：客户 张三 备注 对价格敏感"
NOTE_SAVED = "已记下：{name} — {text}"
TIMELINE_USAGE = "请写客户名字，例如：客户动态 张三"
MY_USAGE = "页码要写数字，例如：我的客户 2"
MY_EMPTY = "你还没有客户。发送「新建客户 王五 13800138000」添加一个。"
MY_HEADER = "我的客户（共 {total} 个，第 {page}/{pages} 页）："
MY_NEXT = "发送「我的客户 {page}」看下一页。"
MY_PAGE_GONE = "没有第 {page} 页：你的客户共 {pages} 页。"

_NOTE = re.compile(r"^(?P<who>.+?)\s*备注[\s：:]*(?P<text>\S.*)$", re.S)


@router.command(
    "新建客户",
    "add customer",
    slots=("name", "details"),
    examples=CREATE_EXAMPLES,
    phrasings=CREATE_PHRASINGS,
)
async def create_customer(ctx: Context) -> str:
    """新建客户，例如：新建客户 王五 13800138000 公司 华夏科技 来源 展会"""
    wanted = parse_new_customer(ctx.args)
    phone = phone_digits(wanted.phone)
    if phone:
        same = await phone_taken(ctx.tenant.id, phone)
        if same is not None:
            raise UserFacingError(DUPLICATE_PHONE.format(name=same.display_name, phone=phone))
    now = ctx.clock.now()
    customer = Customer(
        tenant_id=ctx.tenant.id,
        kind=CustomerKind.OFFLINE,
        name=wanted.name,
        phone=phone,
        company=wanted.company,
        source=wanted.source,
        owner_id=ctx.employee.id if ctx.employee else None,
        created_at=now,
        updated_at=now,
    )
    value_new(customer, now)  # stored with the row: no timeline and no order to read yet
    await customer.save(force_create=True)
    # No column for a contact's position or line of business: the creation line of the
    # timeline keeps them.
    kept = [
        (label, value)
        for label, value in (("职位", wanted.position), ("行业", wanted.trade))
        if value
    ]
    told = "；".join(KEPT_NOTE.format(label=label, value=value) for label, value in kept)
    await add_note(customer, NoteKind.CREATED, told, now, ctx.employee, touch=False)
    reply = CREATED.format(card=await render_card(customer, viewer_of(ctx)))
    for label, value in kept:
        reply += "\n" + KEPT.format(label=label, value=value)
    return reply


async def show_card(ctx: Context, customer: Customer, rest: str) -> str:
    return await render_card(customer, viewer_of(ctx))


async def show_timeline(ctx: Context, customer: Customer, rest: str) -> str:
    return await render_timeline(customer, ctx.tenant.timezone)


async def write_note(ctx: Context, customer: Customer, text: str) -> str:
    now = ctx.clock.now()
    await add_note(customer, NoteKind.NOTE, text, now, ctx.employee)
    await refresh_value(customer, now)
    return NOTE_SAVED.format(name=customer.display_name, text=text)


CARD = CustomerAction("card", show_card)
TIMELINE = CustomerAction("timeline", show_timeline)
NOTE = CustomerAction("note", write_note)


def parse_note(args: str) -> tuple[str, str]:
    match = _NOTE.match(args.strip())
    if match is None:
        raise UserFacingError(NOTE_USAGE)
    return match.group("who").strip(), match.group("text").strip()


def _required_query(usage: str) -> Callable[[str], tuple[str, str]]:
    def parse(args: str) -> tuple[str, str]:
        if not args.strip():
            raise UserFacingError(usage)
        return args.strip(), ""

    return parse


async def prepare_search(ctx: Context) -> None:
    await begin(ctx, CARD, _required_query(SEARCH_USAGE))


async def prepare_timeline(ctx: Context) -> None:
    await begin(ctx, TIMELINE, _required_query(TIMELINE_USAGE))


async def prepare_note(ctx: Context) -> None:
    await begin(ctx, NOTE, parse_note)


@router.command(
    "查客户",
    "find customer",
    prepare=prepare_search,
    slots=("who",),
    examples=FIND_EXAMPLES,
    phrasings=FIND_PHRASINGS,
)
async def find_customer(ctx: Context) -> str:
    """按姓名、手机号开头、公司或标签查客户，例如：查客户 张三、查 138"""
    return await finish(ctx, CARD)


@router.command(
    "查",
    prepare=prepare_search,
    help="",
    slots=("who",),
    examples=FIND_ANYTHING_EXAMPLES,
    phrasings=FIND_ANYTHING_PHRASINGS,
)
async def find_anything(ctx: Context) -> str:
    return await finish(ctx, CARD)


@router.command(
    "客户动态",
    prepare=prepare_timeline,
    slots=("who",),
    examples=TIMELINE_EXAMPLES,
    phrasings=TIMELINE_PHRASINGS,
)
async def customer_timeline(ctx: Context) -> str:
    """看客户的动态，例如：客户动态 张三"""
    return await finish(ctx, TIMELINE)


@router.command(
    "客户",
    filters=[Regex("备注")],
    prepare=prepare_note,
    slots=("who", "note"),
    fill="客户 {who} 备注 {note}",
    examples=NOTE_EXAMPLES,
    phrasings=NOTE_PHRASINGS,
)
async def note_customer(ctx: Context) -> str:
    """给客户记一笔，例如：客户 张三 备注 对价格敏感"""
    return await finish(ctx, NOTE)


def _page(args: str) -> int:
    page = page_arg(args)
    if page is None:
        raise UserFacingError(MY_USAGE)
    return page


@router.command(
    "我的客户",
    "my customers",
    slots=("page",),
    examples=MY_EXAMPLES,
    phrasings=MY_PHRASINGS,
)
async def list_my_customers(ctx: Context) -> str:
    """看我负责的客户，例如：我的客户、我的客户 2"""
    page = _page(ctx.args)
    employee_id = ctx.employee.id if ctx.employee else 0
    rows, total = await my_customers(ctx.tenant.id, employee_id, page)
    if total == 0:
        return MY_EMPTY
    pages = -(-total // PAGE_SIZE)
    if not rows:
        raise UserFacingError(MY_PAGE_GONE.format(page=page, pages=pages))
    assert ctx.conversation is not None
    await ctx.conversation.set(
        PICK_STATE, {"action": CARD.name, "ids": [c.id for c in rows]}, ttl=PICK_TTL
    )
    footer = [PICK_HINT] + ([MY_NEXT.format(page=page + 1)] if page < pages else [])
    header = MY_HEADER.format(total=total, page=page, pages=pages)
    return render_list(header, rows, viewer_of(ctx), "\n".join(footer))
