"""How follow-ups read in chat: times in words and list lines."""

from __future__ import annotations

from datetime import datetime, tzinfo

from models.followups import Followup

WEEKDAYS = "一二三四五六日"
NO_CUSTOMER = "未关联客户"
LINE = "#{number} {when} {content}{customer}{late}"
OVERDUE_MARK = "（已逾期）"


def time_words(when: datetime, tz: tzinfo | None) -> str:
    """11月24日（周二）15:00: what people read, always in the tenant's timezone."""
    local = when.astimezone(tz)
    return f"{local.month}月{local.day}日（周{WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def line(followup: Followup, tz: tzinfo, now: datetime, customer: str = "") -> str:
    return LINE.format(
        number=followup.number,
        when=time_words(followup.due_at, tz),
        content=followup.content,
        customer=f"（{customer}）" if customer else "",
        late=OVERDUE_MARK if followup.due_at < now else "",
    )
