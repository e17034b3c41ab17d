"""How tickets read in chat: status and priority words, times, and one-line summaries."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from models.tickets import Ticket, TicketPriority, TicketStatus

STATUS_WORDS = {
    TicketStatus.NEW: "待派单",
    TicketStatus.ASSIGNED: "已派单",
    TicketStatus.IN_PROGRESS: "处理中",
    TicketStatus.PENDING_CUSTOMER: "等待客户",
    TicketStatus.RESOLVED: "已解决",
    TicketStatus.CLOSED: "已关闭",
}
PRIORITY_WORDS = {
    TicketPriority.LOW: "低",
    TicketPriority.NORMAL: "中",
    TicketPriority.HIGH: "高",
    TicketPriority.URGENT: "紧急",
}
PRIORITY_BY_WORD = {word: priority for priority, word in PRIORITY_WORDS.items()}
WEEKDAYS = "一二三四五六日"
NOBODY = "未派单"


def time_words(when: datetime, tz: tzinfo) -> str:
    local = when.astimezone(tz)
    return f"{local.month}月{local.day}日（周{WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def short_time(when: datetime, tz: tzinfo) -> str:
    return f"{when.astimezone(tz):%m-%d %H:%M}"


def duration_words(seconds: float | None) -> str:
    """3小时20分钟, 45分钟, 2天3小时; "—" when nothing was measured."""
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    return f"{minutes}分钟"


def overdue_words(due: datetime, now: datetime) -> str:
    late = now - due
    return f"已超时 {duration_words(late.total_seconds())}" if late > timedelta(0) else ""


def headline(ticket: Ticket) -> str:
    """GD-20261123-0001 打印机无法开机（紧急）"""
    return f"{ticket.number} {ticket.title}（{PRIORITY_WORDS[ticket.priority]}）"
