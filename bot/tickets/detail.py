"""``工单 0001``: one ticket with its SLA and its timeline."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.tickets.store import label
from bot.tickets.wording import PRIORITY_WORDS, STATUS_WORDS, short_time
from models.crm.customers import Customer
from models.tenants import Employee
from models.tickets import Ticket, TicketEvent

TIMELINE_LIMIT = 15
ACTION_LABELS = {
    "create": "创建工单",
    "assign": "派单",
    "transfer": "转派",
    "accept": "接单",
    "start": "开始处理",
    "wait": "等待客户",
    "resolve": "解决",
    "close": "关闭",
    "reopen": "重开",
    "reply": "回复客户",
    "note": "内部备注",
    "attach": "添加附件",
}
MET_WORDS = {True: "达标", False: "超时"}
HEADER = "工单 {number} · {status}"
LINES = (
    "标题：{title}",
    "客户：{customer} · 优先级：{priority} · 类别：{category}",
    "负责人：{assignee} · 创建人：{creator} · 创建于 {created}",
    "首次响应：{response}",
    "解决：{resolution}",
)
EARLIER = "（更早的 {count} 条记录未显示）"


def _clock_line(done: datetime | None, due: datetime, met: bool | None, tz: ZoneInfo) -> str:
    if done is None:
        return f"截止 {short_time(due, tz)}"
    verdict = f"，{MET_WORDS[met]}" if met is not None else ""
    return f"{short_time(done, tz)}（时限 {short_time(due, tz)}{verdict}）"


async def render_detail(ticket: Ticket, tz: ZoneInfo) -> str:
    people = {
        e.id: e for e in await Employee.filter(tenant_id=ticket.tenant_id, id__in=_ids(ticket))
    }
    customer = await Customer.get_or_none(id=ticket.customer_id) if ticket.customer_id else None
    values = {
        "title": ticket.title,
        "customer": customer.display_name if customer else "内部工单",
        "priority": PRIORITY_WORDS[ticket.priority],
        "category": ticket.category or "无",
        "assignee": label(people.get(ticket.assignee_id or 0)) if ticket.assignee_id else "未派单",
        "creator": label(people.get(ticket.creator_id or 0)),
        "created": short_time(ticket.created_at, tz),
        "response": _clock_line(
            ticket.first_responded_at, ticket.response_due_at, ticket.response_met, tz
        ),
        "resolution": _clock_line(
            ticket.resolved_at, ticket.resolution_due_at, ticket.resolution_met, tz
        ),
    }
    lines = [HEADER.format(number=ticket.number, status=STATUS_WORDS[ticket.status])]
    lines += [line.format(**values) for line in LINES]
    if ticket.description and ticket.description != ticket.title:
        lines.append(f"描述：{ticket.description}")
    lines.append("—— 记录 ——")
    lines += await _timeline(ticket, tz)
    return "\n".join(lines)


def _ids(ticket: Ticket) -> list[int]:
    return [i for i in (ticket.assignee_id, ticket.creator_id) if i is not None]


async def _timeline(ticket: Ticket, tz: ZoneInfo) -> list[str]:
    total = await TicketEvent.filter(ticket_id=ticket.id).count()
    events = (
        await TicketEvent.filter(ticket_id=ticket.id)
        .order_by("-created_at", "-id")
        .limit(TIMELINE_LIMIT)
        .prefetch_related("actor")
    )
    lines = [EARLIER.format(count=total - len(events))] if total > len(events) else []
    for event in reversed(events):
        what = ACTION_LABELS.get(event.action, event.action)
        detail = f"：{event.detail}" if event.detail else ""
        lines.append(f"{short_time(event.created_at, tz)} {label(event.actor)} {what}{detail}")
    return lines
