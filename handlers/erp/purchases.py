"""采购 (a draft and its confirm step), 确认采购, 采购单, 到货, 退货, 未到货 and 取消采购; the
admins' 采购设置 (approval), 批准采购 and 驳回采购."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from enum import StrEnum

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import StateIs
from bot.dispatch.router import Router
from bot.dispatch.types import Channel, Reply
from bot.erp import approval, phrasings, purchasing, receipt_tolerance
from bot.erp.cards import approval_card, confirm_card
from bot.erp.numbers import LEADING_REF, find_purchase, split_ref, tail
from bot.erp.purchase_view import (
    STATE_WORDS,
    day_words,
    line_words,
    missing_words,
    purchase_card,
)
from bot.erp.purchase_words import RECEIVE_USAGE, USAGE, read_purchase, read_received
from bot.erp.stock import amount
from bot.erp.suppliers import enabled_supplier
from bot.limits import MAX_FEN
from bot.nlu.money import parse_fen
from bot.notices import notice_replies
from bot.subscription.money import format_fen
from models.erp import OPEN_PURCHASES, ApprovalMode, PurchaseLine, PurchaseOrder, PurchaseState
from models.tenants import Role

router = Router(__name__, title="进销存", module="erp")


class PurchaseStep(StrEnum):
    CONFIRM = "purchase_confirm"


ASK_CONFIRM = (
    "回复「确认」或点卡片上的「确认」发出，回复「取消」作废（也可以稍后发送「确认采购 {tail}」）。"
)
CONFIRMED = (
    "已确认采购单 {number}，合计 {total}{due}。到货后发送「到货 {tail} 商品 数量」入库"
    "（不写商品就是全部到齐）。"
)
ALREADY = "采购单 {number} 已经确认过了。"
SUBMITTED = "采购单 {number}（合计 {total}）已提交管理员审批，批准后发出，结果会通知你。"
STILL_PENDING = "采购单 {number} 已提交审批，等管理员批准。"
APPROVED = "已批准采购单 {number}，合计 {total}，已发出。"
APPROVED_TOLD = "你提交的采购单 {number} 已由 {admin} 批准，已发出。"
REJECTED = "已驳回采购单 {number}。"
REJECTED_TOLD = "你提交的采购单 {number} 被 {admin} 驳回{reason}。"
DECIDED_BEFORE = "采购单 {number} 已经{what}了。"
CANCELLED_BEFORE = "采购单 {number} 已取消（{why}）。"
NOT_SUBMITTED = "采购单 {number} 不在待审批状态（{state}）。"
APPROVAL_SHOWN = (
    "采购设置：{rule}。\n到货：{tolerance}。\n"
    "修改：采购设置 审批 全部、采购设置 审批 超过5000、采购设置 审批 关、采购设置 超收 5%"
)
APPROVAL_SAVED = "已保存。" + APPROVAL_SHOWN
APPROVAL_USAGE = "请按这个格式写：采购设置 审批 全部、采购设置 审批 超过5000 或 采购设置 审批 关"
DROPPED = "好的，采购单 {number} 已作废。"
NOT_WRITTEN = "好的，没有下采购单。"
REF_USAGE = "请写上采购单号，例如：{word} 0001"
NOT_FOUND = "没有找到采购单「{ref}」。发送「采购单」看未完成的采购单。"
RECEIVED = "采购单 {number} 到货：{items}。"
STILL_MISSING = "还差 {items}。"
ALL_IN = "采购单 {number} 已全部到齐。"
CANCELLED = "已取消采购单 {number}。"
RETURNED = "采购单 {number} 退货：{items}，退回{supplier}，按进价计 {value}。"
RETURN_USAGE = "请按这个格式写：退货 采购单号 商品 数量，例如：退货 0001 A4纸 5"
NO_OPEN = "没有未完成的采购单。下采购单：采购 晨光 A4纸 100箱 单价18 周五到货"
OPEN_HEAD = "未完成的采购单 {count} 张："
NO_OVERDUE = "没有逾期未到货的采购单。"
OVERDUE_HEAD = "逾期未到货的采购单 {count} 张："
OTHERS_OPEN = "另有 {count} 张在途，还没到期。"
YES_WORDS = frozenset({"确认", "确定", "是", "好", "好的", "对", "ok", "yes", "y", "确认采购"})
NO_WORDS = frozenset({"取消", "算了", "不要了", "不", "否", "作废", "no", "n", "cancel"})
SHOWN = 20
# 采购 + a supplier and what to buy: "采购部今天聚餐" is other talk.
_PURCHASE_ARGS = re.compile(r"\S+[\s，,]+\S")


async def purchase_or_refusal(ctx: Context, ref: str) -> PurchaseOrder:
    order = await find_purchase(ctx.tenant.id, ref)
    if order is None:
        raise UserFacingError(NOT_FOUND.format(ref=ref))
    await order.fetch_related("supplier", "warehouse")
    return order


async def lines_of(order: PurchaseOrder) -> list[PurchaseLine]:
    return (
        await PurchaseLine.filter(order_id=order.id)
        .order_by("position")
        .prefetch_related("product")
    )


def _today(ctx: Context) -> date:
    return ctx.clock.now().astimezone(ctx.tenant.timezone).date()


@router.command(
    "采购",
    "下采购单",
    args_like=_PURCHASE_ARGS,
    slots=("who", "details", "goods", "qty"),
    fill="采购 {who} {details}",
    examples=phrasings.PURCHASE_EXAMPLES,
    phrasings=phrasings.PURCHASE,
)
async def create_purchase(ctx: Context) -> list[Reply]:
    """采购 晨光 A4纸 100箱 单价18 周五到货（可写 入门店、备注）"""
    who, _, text = ctx.args.strip().partition(" ")
    if not who or not text.strip():
        raise UserFacingError(USAGE)
    local = ctx.clock.now().astimezone(ctx.tenant.timezone)
    asked = read_purchase(text, local)
    supplier = await enabled_supplier(ctx.tenant.id, who)
    order = await purchasing.create_purchase(
        ctx.tenant.id, supplier, asked, ctx.employee, ctx.clock.now(), local.date()
    )
    order = await purchase_or_refusal(ctx, order.number)
    lines = await lines_of(order)
    assert ctx.conversation is not None
    await ctx.conversation.set(PurchaseStep.CONFIRM, {"purchase_id": order.id})
    task_id = f"purchase-{order.id}-{int(ctx.clock.now().timestamp())}"
    summary = "；".join(line_words(line) for line in lines)
    return [
        Reply(f"{purchase_card(order, lines)}\n{ASK_CONFIRM.format(tail=tail(order))}"),
        confirm_card(order, supplier.name, summary, task_id),
    ]


def _answer(ctx: Context) -> bool:
    return ctx.update.text.strip().lower() in YES_WORDS | NO_WORDS


@router.message(StateIs(PurchaseStep.CONFIRM), _answer)
async def confirm_or_drop(ctx: Context) -> str:
    assert ctx.conversation is not None
    order_id = ctx.conversation.data.get("purchase_id")
    await ctx.conversation.clear()
    order = await PurchaseOrder.get_or_none(tenant_id=ctx.tenant.id, id=order_id)
    if order is None:
        return NOT_WRITTEN
    if ctx.update.text.strip().lower() in NO_WORDS:
        return await drop_draft(ctx, order)
    return await confirm_draft(ctx, order)


async def drop_draft(ctx: Context, order: PurchaseOrder) -> str:
    if order.state is PurchaseState.DRAFT:
        await purchasing.cancel(order, "下单时作废", ctx.clock.now())
    return DROPPED.format(number=order.number)


async def confirm_draft(ctx: Context, order: PurchaseOrder) -> str:
    rule = await approval.approval_of(ctx.tenant.id)
    wanted = not ctx.is_admin and rule.needed_for(order.total_fen)
    if (
        wanted
        and order.state is PurchaseState.DRAFT
        and await approval.submit(order, ctx.clock.now())
    ):
        await _ask_admins(ctx, order)
        return SUBMITTED.format(number=order.number, total=format_fen(order.total_fen))
    if not await purchasing.confirm(order, ctx.clock.now()):
        await order.refresh_from_db()
        if order.state is PurchaseState.CANCELLED:
            raise UserFacingError(purchasing.CANCELLED.format(number=order.number))
        if order.state is PurchaseState.PENDING:
            return STILL_PENDING.format(number=order.number)
        return ALREADY.format(number=order.number)
    due = f"，预计 {day_words(order.expected_date)}到货" if order.expected_date else ""
    return CONFIRMED.format(
        number=order.number, total=format_fen(order.total_fen), due=due, tail=tail(order)
    )


async def _ask_admins(ctx: Context, order: PurchaseOrder) -> None:
    """The admins hear of a submitted order: the text wherever admin notices go, and a
    批准 / 驳回 card beside each 1:1 text."""
    await order.fetch_related("supplier")
    who = ctx.employee.name or ctx.employee.userid if ctx.employee is not None else ""
    notices = await notice_replies(
        ctx.tenant, approval.approval_ask(order, order.supplier.name, who)
    )
    summary = "；".join(line_words(line) for line in await lines_of(order))
    task_id = f"purchase-approval-{order.id}-{int(ctx.clock.now().timestamp())}"
    for notice in notices:
        ctx.replies.append(notice)
        if notice.channel == Channel.APP.value:
            card = approval_card(order, order.supplier.name, summary, f"{task_id}-{notice.to_user}")
            ctx.replies.append(replace(card, to_user=notice.to_user, channel=notice.channel))


async def decide(ctx: Context, order: PurchaseOrder, approve: bool, reason: str = "") -> str:
    """An admin's 批准 or 驳回 (typed or clicked): the first decision wins, once."""
    admin = ctx.employee.name or ctx.employee.userid if ctx.employee is not None else ""
    now = ctx.clock.now()
    won = (
        await approval.approve(order, admin, now)
        if approve
        else await approval.reject(order, admin, reason, now)
    )
    if not won:
        await order.refresh_from_db()
        if order.state is PurchaseState.CANCELLED:
            return CANCELLED_BEFORE.format(number=order.number, why=order.cancel_reason or "已作废")
        if order.approved_by:
            return DECIDED_BEFORE.format(number=order.number, what=f"由 {order.approved_by} 批准")
        return NOT_SUBMITTED.format(number=order.number, state=STATE_WORDS[order.state])
    await order.fetch_related("created_by")
    author = order.created_by
    if author is not None and (ctx.employee is None or author.id != ctx.employee.id):
        told = (
            APPROVED_TOLD.format(number=order.number, admin=admin)
            if approve
            else REJECTED_TOLD.format(
                number=order.number, admin=admin, reason=f"：{reason}" if reason else ""
            )
        )
        ctx.replies.append(Reply(told, to_user=author.userid))
    if approve:
        return APPROVED.format(number=order.number, total=format_fen(order.total_fen))
    return REJECTED.format(number=order.number)


@router.command(
    "批准采购",
    "批准采购单",
    "同意采购",
    roles=[Role.ADMIN],
    args_like=LEADING_REF,
    slots=("order",),
    examples=phrasings.APPROVE_EXAMPLES,
    phrasings=phrasings.APPROVE,
)
async def approve_purchase(ctx: Context) -> str:
    """（管理员）批准采购 0001：待审批的采购单发出"""
    if not ctx.args.strip():
        raise UserFacingError(REF_USAGE.format(word="批准采购"))
    return await decide(ctx, await purchase_or_refusal(ctx, ctx.args.strip()), True)


@router.command(
    "驳回采购",
    "驳回采购单",
    "不批采购",
    roles=[Role.ADMIN],
    args_like=LEADING_REF,
    slots=("order", "reason"),
    fill="驳回采购 {order} {reason?}",
    examples=phrasings.REJECT_EXAMPLES,
    phrasings=phrasings.REJECT,
)
async def reject_purchase(ctx: Context) -> str:
    """（管理员）驳回采购 0001 原因"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(REF_USAGE.format(word="驳回采购"))
    ref, reason = split
    return await decide(ctx, await purchase_or_refusal(ctx, ref), False, reason)


_APPROVAL_SETTING = re.compile(
    r"^(?:审批|审核|批准)?\s*(?:(?P<all>全部|所有|都要|都审批?)"
    r"|(?P<off>关|关闭|不用|不要|不审批?|否)"
    r"|(?:超过|大于|高于)?\s*(?P<amount>\d{1,9}(?:\.\d{1,2})?)\s*(?:元|块)?(?:以上)?)$"
)


@router.command(
    "采购设置",
    "采购审批",
    roles=[Role.ADMIN],
    slots=("amount", "tolerance"),
    examples=phrasings.APPROVAL_RULE_EXAMPLES + phrasings.OVER_RECEIPT_EXAMPLES,
    phrasings=phrasings.APPROVAL_RULE + phrasings.OVER_RECEIPT,
)
async def purchase_rules(ctx: Context) -> str:
    """（管理员）采购设置：审批（全部，或超过多少钱），到货超收（超收 5%）"""
    current = await approval.approval_of(ctx.tenant.id)
    tolerance = await receipt_tolerance.tolerance_of(ctx.tenant.id)
    args = ctx.args.strip()
    if not args:
        return _settings(current, tolerance, APPROVAL_SHOWN)
    if args.startswith(_TOLERANCE_WORDS):
        changed_bp = receipt_tolerance.read_tolerance(
            args.removeprefix("超收").removeprefix("多收")
        )
        by = ctx.update.user_id or ""
        await receipt_tolerance.save_tolerance(ctx.tenant.id, changed_bp, by, ctx.clock.now())
        return _settings(current, changed_bp, APPROVAL_SAVED)
    found = _APPROVAL_SETTING.match(args)
    if found is None:
        raise UserFacingError(APPROVAL_USAGE)
    if found["all"]:
        changed = approval.Approval(ApprovalMode.ALL)
    elif found["off"]:
        changed = approval.Approval(ApprovalMode.OFF)
    else:
        fen = parse_fen(found["amount"])
        if fen is None or fen > MAX_FEN:
            raise UserFacingError(APPROVAL_USAGE)
        changed = approval.Approval(ApprovalMode.OVER, fen)
    await approval.save_approval(ctx.tenant.id, changed, ctx.update.user_id or "", ctx.clock.now())
    return _settings(changed, tolerance, APPROVAL_SAVED)


_TOLERANCE_WORDS = ("超收", "多收")


def _settings(rule: approval.Approval, tolerance_bp: int, template: str) -> str:
    return template.format(
        rule=rule.words(), tolerance=receipt_tolerance.tolerance_words(tolerance_bp)
    )


@router.command(
    "确认采购",
    "确认采购单",
    args_like=LEADING_REF,
    slots=("order",),
    examples=phrasings.CONFIRM_EXAMPLES,
    phrasings=phrasings.CONFIRM,
)
async def confirm_purchase(ctx: Context) -> str:
    """确认采购 0001：草稿采购单发出"""
    if not ctx.args.strip():
        raise UserFacingError(REF_USAGE.format(word="确认采购"))
    return await confirm_draft(ctx, await purchase_or_refusal(ctx, ctx.args.strip()))


@router.command(
    "采购单",
    "查采购单",
    args_like=LEADING_REF,
    slots=("order",),
    examples=phrasings.SHOW_PURCHASE_EXAMPLES,
    phrasings=phrasings.SHOW_PURCHASE,
)
async def show_purchase(ctx: Context) -> str:
    """采购单 0001（不写单号：未完成的采购单）"""
    split = split_ref(ctx.args)
    if split is None:
        return await _open_purchases(ctx)
    order = await purchase_or_refusal(ctx, split[0])
    return purchase_card(order, await lines_of(order))


async def _open_purchases(ctx: Context) -> str:
    found = (
        await PurchaseOrder.filter(
            tenant_id=ctx.tenant.id,
            state__in=(PurchaseState.DRAFT, PurchaseState.PENDING, *OPEN_PURCHASES),
        )
        .order_by("id")
        .prefetch_related("supplier")
    )
    if not found:
        return NO_OPEN
    lines = [OPEN_HEAD.format(count=len(found))]
    for order in found[:SHOWN]:
        due = f" {day_words(order.expected_date)}到货" if order.expected_date else ""
        lines.append(
            f"{order.number} {order.supplier.name} {format_fen(order.total_fen)}"
            f"（{STATE_WORDS[order.state]}）{due}"
        )
    return "\n".join(lines)


@router.command(
    "到货",
    "收货",
    "采购到货",
    args_like=LEADING_REF,
    slots=("order", "details"),
    fill="到货 {order} {details?}",
    examples=phrasings.RECEIVE_EXAMPLES,
    phrasings=phrasings.RECEIVE,
)
async def receive_purchase(ctx: Context) -> str:
    """到货 0001 A4纸 60（可以分批到；不写商品就是全部到齐）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(RECEIVE_USAGE)
    ref, rest = split
    items = read_received(rest)
    order = await purchase_or_refusal(ctx, ref)
    receipt = await purchasing.receive(order, items, ctx.employee, ctx.clock.now())
    got = "、".join(
        f"{line.product.name} {amount(qty, line.unit)} → {order.warehouse.name}"
        f"（现有 {amount(posted.on_hand, line.unit)}）"
        for line, qty, posted in receipt.lines
    )
    reply = [RECEIVED.format(number=order.number, items=got)]
    if receipt.complete:
        reply.append(ALL_IN.format(number=order.number))
    else:
        reply.append(STILL_MISSING.format(items=missing_words(await lines_of(order))))
    return "".join(reply)


@router.command(
    "退货",
    "采购退货",
    "退供应商",
    args_like=LEADING_REF,
    slots=("order", "details", "count"),
    fill="退货 {order} {details} {count?}",
    examples=phrasings.RETURN_EXAMPLES,
    phrasings=phrasings.RETURN,
)
async def return_purchase(ctx: Context) -> str:
    """退货 0001 A4纸 5（把到过的货退给供应商，最多退已到的数量）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(RETURN_USAGE)
    ref, rest = split
    items = read_received(rest, RETURN_USAGE)
    order = await purchase_or_refusal(ctx, ref)
    returned = await purchasing.return_goods(order, items, ctx.employee, ctx.clock.now())
    sent = "、".join(
        f"{line.product.name} {amount(qty, line.unit)}"
        f"（{order.warehouse.name}还剩 {amount(posted.on_hand, line.unit)}）"
        for line, qty, posted in returned.lines
    )
    return RETURNED.format(
        number=order.number,
        items=sent,
        supplier=order.supplier.name,
        value=format_fen(returned.value_fen),
    )


@router.command(
    "未到货",
    "逾期未到货",
    "采购逾期",
    examples=phrasings.OVERDUE_EXAMPLES,
    phrasings=phrasings.OVERDUE,
)
async def overdue_purchases(ctx: Context) -> str:
    """未到货：过了到货日期还没到齐的采购单"""
    today = _today(ctx)
    late = await purchasing.overdue(ctx.tenant.id, today)
    open_count = await PurchaseOrder.filter(
        tenant_id=ctx.tenant.id, state__in=OPEN_PURCHASES
    ).count()
    lines = [OVERDUE_HEAD.format(count=len(late)) if late else NO_OVERDUE]
    for order in late[:SHOWN]:
        assert order.expected_date is not None
        days = (today - order.expected_date).days
        missing = missing_words(list(order.lines))
        lines.append(
            f"{order.number} {order.supplier.name} 应于 {day_words(order.expected_date)}到货，"
            f"逾期 {days} 天，还差 {missing}"
        )
    if open_count > len(late):
        lines.append(OTHERS_OPEN.format(count=open_count - len(late)))
    return "\n".join(lines)


@router.command(
    "取消采购",
    "取消采购单",
    "作废采购单",
    args_like=LEADING_REF,
    slots=("order", "reason"),
    fill="取消采购 {order} {reason?}",
    examples=phrasings.CANCEL_EXAMPLES,
    phrasings=phrasings.CANCEL,
)
async def cancel_purchase(ctx: Context) -> str:
    """取消采购 0001 原因（已有到货的不能取消）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(REF_USAGE.format(word="取消采购"))
    ref, reason = split
    order = await purchase_or_refusal(ctx, ref)
    await purchasing.cancel(order, reason, ctx.clock.now())
    return CANCELLED.format(number=order.number)
