"""Working a ticket: 回复 / 备注, and the status commands 处理中, 等待客户, 解决, 关闭, 重开.

Each command finds the ticket, checks the speaker may work it, runs the workflow's transition
(which refuses an illegal one with the current status and what is possible), and tells the
ticket's creator and assignee what changed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.people.resolve import answers_choice
from bot.tickets import phrasings, sla, workflow
from bot.tickets.customer_reply import reply_to_customer
from bot.tickets.hooks import hooks_of
from bot.tickets.numbers import LEADING_REF, REF_TEXT
from bot.tickets.people import ensure_may_work, tell_parties
from bot.tickets.store import add_comment, label, record, working_time
from bot.tickets.wording import STATUS_WORDS, duration_words, time_words
from handlers.tickets.cards import refusal_for, transfer
from handlers.tickets.create import DISPATCH_PATTERN, ticket_or_refusal
from models.tickets import OPEN_STATUSES, Ticket

router = Router(__name__, title="工单", module="tickets")

TRANSFER_USAGE = "请按这个格式写：转派 0001 给 王五"
REPLY_USAGE = "请按这个格式写：回复 0001 已远程处理（客户可见）"
NOTE_USAGE = "请按这个格式写：备注 0001 备件明天到（仅内部可见）"
RESOLVE_USAGE = "请按这个格式写：解决 0001 更换电源（写上解决办法）"
STATUS_USAGE = "请按这个格式写：{command} 0001"
CLOSED_FOR_COMMENTS = "工单 {number} 已{status}，如需继续处理请先「重开 {tail} 原因」。"
REPLIED = "已回复工单 {number}（客户可见）：{text}"
FIRST_RESPONSE = "\n首次响应用时 {took}，{verdict}。"
NOTED = "已给工单 {number} 添加内部备注。"
STARTED = "工单 {number} 已标记为处理中。"
WAITING = "工单 {number} 已标记为等待客户，解决时限暂停计时。"
RESOLVED = "工单 {number} 已解决：{solution}\n解决用时 {took}，{verdict}。"
RESOLVED_QUIETLY = "工单 {number} 已解决。\n解决用时 {took}，{verdict}。"
CLOSED = "工单 {number} 已关闭。"
REOPENED = "工单 {number} 已重开（{status}），新的解决截止 {due}。"
VERDICTS = {True: "在时限内", False: "已超出时限"}
TO_PARTIES = "工单 {number}「{title}」{change}（{who}）"
CHANGES = {
    "reply": "有新回复：{text}",
    "note": "有新备注：{text}",
    "start": "已开始处理",
    "wait": "正在等待客户",
    "resolve": "已解决：{text}",
    "resolve_quietly": "已解决",
    "close": "已关闭",
    "reopen": "已重开：{text}",
}


# "工单0001：已处理", "1号工单 已处理", "客户0001 已处理": the ticket, then the text
_LEADING_REF = re.compile(
    rf"^(?:客户)?\s*(?P<ref>{REF_TEXT}(?:号|个|张)?(?:工单)?)"
    r"(?:[\s：:，,]+(?P<rest>.*))?$",
    re.IGNORECASE | re.DOTALL,
)


def split_ref(args: str, usage: str, *, need_text: bool) -> tuple[str, str]:
    named = _LEADING_REF.match(args.strip())
    if named is not None and (named["rest"] or "").strip():
        return named["ref"], named["rest"].strip()
    parts = args.split(maxsplit=1)
    if not parts or (need_text and len(parts) < 2):
        raise UserFacingError(usage)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


async def _workable(ctx: Context, args: str, usage: str, need_text: bool) -> tuple[Ticket, str]:
    ref, text = split_ref(args, usage, need_text=need_text)
    ticket = await ticket_or_refusal(ctx, ref)
    await ensure_may_work(ctx, ticket)
    return ticket, text


async def _tell(ctx: Context, ticket: Ticket, change: str, text: str = "") -> None:
    words = CHANGES[change].format(text=text)
    message = TO_PARTIES.format(
        number=ticket.number, title=ticket.title, change=words, who=label(ctx.employee)
    )
    await tell_parties(ctx, ticket, message)


async def _comment(ctx: Context, ticket: Ticket, text: str, *, internal: bool) -> bool:
    """Add a comment and its history line; True when it was the first reply to the customer."""
    if ticket.status not in OPEN_STATUSES:
        tail = f"{ticket.seq:04d}"
        status = STATUS_WORDS[ticket.status].removeprefix("已")
        raise UserFacingError(
            CLOSED_FOR_COMMENTS.format(number=ticket.number, status=status, tail=tail)
        )
    now = ctx.clock.now()
    await add_comment(ticket, ctx.employee, text, now, internal=internal)
    first = not internal and sla.record_response(ticket, now, working_time(ctx))
    ticket.updated_at = now
    await ticket.save()
    await record(ticket, ctx.employee, "note" if internal else "reply", now, detail=text)
    await _tell(ctx, ticket, "note" if internal else "reply", text)
    return first


@router.command(
    "回复",
    "reply",
    args_like=LEADING_REF,
    slots=("ticket", "text"),
    examples=phrasings.REPLY_EXAMPLES,
    phrasings=phrasings.REPLY,
)
async def reply_ticket(ctx: Context) -> str:
    """回复 0001 已远程处理：给客户的回复（第一条回复停止首次响应计时）"""
    ticket, text = await _workable(ctx, ctx.args, REPLY_USAGE, need_text=True)
    answer = REPLIED.format(number=ticket.number, text=text)
    if await _comment(ctx, ticket, text, internal=False):
        took = duration_words(ticket.response_seconds)
        answer += FIRST_RESPONSE.format(took=took, verdict=VERDICTS[bool(ticket.response_met)])
    delivery = await reply_to_customer(ctx, ticket, text)
    for hooks in hooks_of(ctx):
        await hooks.on_replied(ctx, ticket, text)
    return f"{answer}\n{delivery}" if delivery else answer


@router.command(
    "备注",
    "note",
    args_like=LEADING_REF,
    slots=("ticket", "text"),
    examples=phrasings.NOTE_EXAMPLES,
    phrasings=phrasings.NOTE,
)
async def note_ticket(ctx: Context) -> str:
    """备注 0001 内容：内部备注，客户看不到"""
    ticket, text = await _workable(ctx, ctx.args, NOTE_USAGE, need_text=True)
    await _comment(ctx, ticket, text, internal=True)
    return NOTED.format(number=ticket.number)


def _status_command(
    words: tuple[str, ...],
    change: str,
    move: Callable[[Context, Ticket], Awaitable[None]],
    done: str,
    help_line: str,
    natural: tuple[tuple[tuple[str, str], ...], tuple[str, ...]],
) -> None:
    async def handle(ctx: Context) -> str:
        usage = STATUS_USAGE.format(command=words[0])
        ticket, _ = await _workable(ctx, ctx.args, usage, need_text=False)
        await move(ctx, ticket)
        await _tell(ctx, ticket, change)
        return done.format(number=ticket.number)

    handle.__name__ = f"{change}_ticket"
    said, examples = natural
    router.command(
        *words,
        args_like=LEADING_REF,
        help=help_line,
        slots=("ticket",),
        examples=examples,
        phrasings=said,
    )(handle)


_status_command(
    ("处理中", "start"),
    "start",
    workflow.start,
    STARTED,
    "处理中 0001：开始处理",
    (phrasings.START, phrasings.START_EXAMPLES),
)
_status_command(
    ("等待客户", "pending"),
    "wait",
    workflow.wait_for_customer,
    WAITING,
    "等待客户 0001：暂停解决计时",
    (phrasings.WAIT, phrasings.WAIT_EXAMPLES),
)
_status_command(
    ("关闭", "close"),
    "close",
    workflow.close,
    CLOSED,
    "关闭 0001",
    (phrasings.CLOSE, phrasings.CLOSE_EXAMPLES),
)


@router.command(
    "解决",
    "resolve",
    args_like=LEADING_REF,
    slots=("ticket", "solution"),
    examples=phrasings.RESOLVE_EXAMPLES,
    phrasings=phrasings.RESOLVE,
)
async def resolve_ticket(ctx: Context) -> str:
    """解决 0001 更换电源：写上解决办法（没有要告诉客户的写「无」）"""
    ticket, solution = await _workable(ctx, ctx.args, RESOLVE_USAGE, need_text=True)
    # 「无」: resolved with nothing to tell the customer ("工单0001已解决" says no more)
    told = "" if solution == phrasings.NO_SOLUTION else solution
    await workflow.resolve(ctx, ticket, told)
    await _tell(ctx, ticket, "resolve" if told else "resolve_quietly", told)
    took = duration_words(ticket.resolution_seconds)
    verdict = VERDICTS[bool(ticket.resolution_met)]
    if not told:
        return RESOLVED_QUIETLY.format(number=ticket.number, took=took, verdict=verdict)
    return RESOLVED.format(number=ticket.number, solution=told, took=took, verdict=verdict)


@router.command(
    "重开",
    "reopen",
    args_like=LEADING_REF,
    slots=("ticket", "reason"),
    examples=phrasings.REOPEN_EXAMPLES,
    phrasings=phrasings.REOPEN,
)
async def reopen_ticket(ctx: Context) -> str:
    """重开 0001 问题复现"""
    usage = "请按这个格式写：重开 0001 问题复现（写上重开的原因）"
    ticket, reason = await _workable(ctx, ctx.args, usage, need_text=True)
    await workflow.reopen(ctx, ticket, reason)
    await _tell(ctx, ticket, "reopen", reason)
    return REOPENED.format(
        number=ticket.number,
        status=STATUS_WORDS[ticket.status],
        due=time_words(ticket.resolution_due_at, ctx.tenant.timezone),
    )


@router.command(
    "转派",
    "transfer",
    args_like=LEADING_REF,
    slots=("ticket", "who"),
    fill="转派 {ticket} 给 {who}",
    examples=phrasings.TRANSFER_EXAMPLES,
    phrasings=phrasings.TRANSFER,
)
@answers_choice
async def transfer_command(ctx: Context) -> str:
    """转派 0001 给 王五：负责人把工单转给同事"""
    match = DISPATCH_PATTERN.match(ctx.args)
    if match is None:
        raise UserFacingError(TRANSFER_USAGE)
    ticket = await ticket_or_refusal(ctx, match["ref"])
    refusal = await refusal_for(ctx, ticket)
    if refusal is not None:
        raise UserFacingError(refusal)
    return await transfer(ctx, ticket, match["who"])
