"""客服回复, 关闭客服请求 and 客服请求: the provider's operators answering from chat.

Only the ``[subscription] operators`` (userids of the provider's own tenant) may run these;
anyone else hears so, since a client's member must never read another client's questions.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.subscription.operators import require_operator
from bot.vendor_support import phrasings, wording
from bot.vendor_support.desk_ticket import ticket_closed, ticket_replied
from bot.vendor_support.numbers import format_number, parse_number
from bot.vendor_support.store import answer, close
from handlers.vendor_support.requests import HIDDEN
from models.tenants import Tenant
from models.vendor_support import RequestStatus, SupportRequest

router = Router(__name__, title="客服请求（服务商）")

TEXT_LIMIT = 1000
LIST_LIMIT = 20


def ensure_operator(ctx: Context) -> str:
    return require_operator(ctx, wording.OPERATORS_ONLY)


async def _request(ref: str) -> SupportRequest:
    number = parse_number(ref)
    request = await SupportRequest.get_or_none(id=number) if number is not None else None
    if request is None:
        raise UserFacingError(wording.NO_SUCH.format(ref=ref))
    return request


@router.command(
    "客服回复",
    help=HIDDEN,
    slots=("number", "text"),
    examples=phrasings.REPLY_EXAMPLES,
    phrasings=phrasings.REPLY,
)
async def reply_to_request(ctx: Context) -> str:
    """（服务商）客服回复 KF0003 模板在 设置-打印 里改：回复会发给提问的人"""
    operator = ensure_operator(ctx)
    ref, _, text = ctx.args.strip().partition(" ")
    if parse_number(ref) is None or not text.strip():
        return wording.REPLY_USAGE
    if len(text) > TEXT_LIMIT:
        return wording.TOO_LONG.format(limit=TEXT_LIMIT)
    request = await _request(ref)
    number = format_number(request.id)
    if request.status is RequestStatus.CLOSED:
        return wording.ALREADY_CLOSED.format(number=number)
    await answer(request, operator, text.strip(), ctx.clock.now())
    await ticket_replied(ctx, request, text.strip())
    tenant = await Tenant.get(id=request.tenant_id)
    return wording.REPLIED.format(number=number, tenant=tenant.name, who=request.requester_name)


@router.command(
    "关闭客服请求",
    help=HIDDEN,
    slots=("number",),
    examples=phrasings.CLOSE_EXAMPLES,
    phrasings=phrasings.CLOSE,
)
async def close_request(ctx: Context) -> str:
    """（服务商）关闭客服请求 KF0003：处理完毕，通知提问的人"""
    operator = ensure_operator(ctx)
    ref = ctx.args.strip()
    if parse_number(ref) is None:
        return wording.CLOSE_USAGE
    request = await _request(ref)
    number = format_number(request.id)
    if not await close(request, operator, ctx.clock.now()):
        return wording.ALREADY_CLOSED.format(number=number)
    await ticket_closed(ctx, request)
    return wording.CLOSED.format(number=number, who=request.requester_name)


@router.command(
    "客服请求",
    help=HIDDEN,
    examples=phrasings.OPEN_LIST_EXAMPLES,
    phrasings=phrasings.OPEN_LIST,
)
async def open_requests(ctx: Context) -> str:
    """（服务商）客服请求：还没关闭的客服请求，最早的在前"""
    ensure_operator(ctx)
    rows = (
        await SupportRequest.filter(status__in=(RequestStatus.OPEN, RequestStatus.ANSWERED))
        .order_by("id")
        .limit(LIST_LIMIT)
    )
    if not rows:
        return wording.NONE_OPEN
    names = {t.id: t.name for t in await Tenant.filter(id__in={r.tenant_id for r in rows})}
    tz = ctx.tenant.timezone
    now = ctx.clock.now()
    lines = [wording.OPEN_HEAD.format(count=len(rows))]
    for row in rows:
        lines.append(
            wording.OPEN_ROW.format(
                number=format_number(row.id),
                tenant=names.get(row.tenant_id, ""),
                who=row.requester_name,
                state=_state(row, now, tz),
                text=wording.preview(row.text),
            )
        )
    return "\n".join(lines)


def _state(row: SupportRequest, now: datetime, tz: ZoneInfo) -> str:
    if row.status is RequestStatus.ANSWERED:
        return "已回复"
    overdue = "（已超时）" if row.response_due_at <= now else ""
    return f"待回复，{wording.when(row.response_due_at, tz)}前{overdue}"
