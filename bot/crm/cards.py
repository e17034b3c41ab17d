"""What employees read about customers: the card, numbered lists and the timeline.

Phone numbers are shown in full to the customer's owner and to admins, masked to others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.crm.book import employee_label
from bot.crm.card_facts import LastInteraction, card_facts
from bot.crm.search import SHOWN
from bot.crm.worth import worth_of
from models.crm.customers import Customer, CustomerKind, CustomerNote, NoteKind

KIND_LABELS = {
    CustomerKind.OFFLINE: "线下客户",
    CustomerKind.WECHAT: "微信客户",
    CustomerKind.WECOM: "企业微信客户",
}
NOTE_LABELS = {
    NoteKind.CREATED: "新建",
    NoteKind.ADDED: "加为好友",
    NoteKind.NOTE: "备注",
    NoteKind.FOLLOWUP: "跟进",
    NoteKind.WELCOME: "欢迎语",
    NoteKind.TAG: "打标签",
    NoteKind.UNTAG: "去标签",
    NoteKind.LOST: "删除了员工",
    NoteKind.REMOVED: "被员工删除",
    NoteKind.TRANSFER: "转交",
    NoteKind.GROUP_JOIN: "入群",
    NoteKind.GROUP_QUIT: "退群",
    NoteKind.ARCHIVE: "会话存档",
    NoteKind.EDIT: "修改",
    NoteKind.DELETE: "删除",
    NoteKind.MERGE: "合并",
    NoteKind.ORDER: "订单",
}
CARD_TITLE = "【客户】{name}（{kind}）"
VALUE_LINE = "价值：{tier} 级（{score} 分）{reasons}"
# The order figures (``bot.crm.worth``) follow the value line, for customers with orders.
CARD_LINES = (
    "公司：{company}",
    "电话：{phone}",
    "负责人：{owner}",
    "标签：{tags}",
    VALUE_LINE,
    "最近互动：{last}",
    "下次跟进：{next}",
    "来源：{source}",
)
NONE = "无"
NOT_SCHEDULED = "未安排"
TIMELINE_TITLE = "【{name} 的动态】最近 {count} 条："
TIMELINE_EMPTY = "{name} 还没有任何动态。"
LIST_MORE = "（结果较多，只列出前 {shown} 个，请输入更完整的关键词）"
TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading, and when: decides whether phone numbers are shown in full; ``now``
    dates the customer's order figures (none are shown without it)."""

    employee_id: int | None
    is_admin: bool
    tz: ZoneInfo
    now: datetime | None = None

    def sees_phone_of(self, customer: Customer) -> bool:
        owner = customer.owner_id
        return self.is_admin or (owner is not None and owner == self.employee_id)


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "****" if phone else ""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def shown_phone(customer: Customer, viewer: Viewer) -> str:
    if not customer.phone:
        return NONE
    return customer.phone if viewer.sees_phone_of(customer) else mask_phone(customer.phone)


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime(TIME_FORMAT) if moment else NONE


def _note_line(note: LastInteraction | None, tz: ZoneInfo) -> str:
    if note is None:
        return NONE
    text = f" {note.text}" if note.text else ""
    return f"{when(note.created_at, tz)} {NOTE_LABELS[note.kind]}{text}"


async def render_card(customer: Customer, viewer: Viewer) -> str:
    facts = await card_facts(customer)
    reasons = "，".join(customer.value_reasons)
    values = {
        "company": customer.company or NONE,
        "phone": shown_phone(customer, viewer),
        "owner": NONE if facts.owner is None else facts.owner,
        "tags": "、".join(facts.tags) or NONE,
        "tier": customer.value_tier,
        "score": customer.value_score,
        "reasons": f"：{reasons}" if reasons else "",
        "last": _note_line(facts.last, viewer.tz),
        "next": when(customer.next_followup_at, viewer.tz)
        if customer.next_followup_at
        else NOT_SCHEDULED,
        "source": customer.source or NONE,
    }
    title = CARD_TITLE.format(name=customer.display_name, kind=KIND_LABELS[customer.kind])
    lines = [title, *(line.format(**values) for line in CARD_LINES)]
    # The customer's lifetime value and growth potential, from their sold orders.
    worth = worth_of(facts.sold, customer.value_tier, viewer.now) if viewer.now else None
    if worth is not None:
        lines.insert(CARD_LINES.index(VALUE_LINE) + 2, worth.line())
    return "\n".join(lines)


def list_entry(number: int, customer: Customer, viewer: Viewer) -> str:
    phone = shown_phone(customer, viewer) if customer.phone else ""
    details = " · ".join(part for part in (customer.company, phone) if part)
    details = f"（{details}）" if details else ""
    return f"{number}. {customer.display_name}{details} {customer.value_tier}级"


def render_list(header: str, customers: Sequence[Customer], viewer: Viewer, footer: str) -> str:
    lines = [header]
    lines += [list_entry(i, c, viewer) for i, c in enumerate(customers[:SHOWN], start=1)]
    if len(customers) > SHOWN:
        lines.append(LIST_MORE.format(shown=SHOWN))
    if footer:
        lines.append(footer)
    return "\n".join(lines)


async def render_timeline(customer: Customer, tz: ZoneInfo, limit: int = 10) -> str:
    notes = (
        await CustomerNote.filter(customer_id=customer.id)
        .order_by("-created_at", "-id")
        .limit(limit)
        .prefetch_related("employee")
    )
    if not notes:
        return TIMELINE_EMPTY.format(name=customer.display_name)
    lines = [TIMELINE_TITLE.format(name=customer.display_name, count=len(notes))]
    for note in notes:
        who = f"（{employee_label(note.employee)}）" if note.employee else ""
        text = f"：{note.text}" if note.text else ""
        lines.append(f"· {when(note.created_at, tz)} {NOTE_LABELS[note.kind]}{text}{who}")
    return "\n".join(lines)
