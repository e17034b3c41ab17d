"""The reminder messages: a template card with 完成 / 推迟1小时 / 明天再提醒, and the
escalation texts. Button keys carry the follow-up id: ``followup:<action>:<id>``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.dispatch.types import Reply, ReplyKind
from bot.followups.wording import time_words
from bot.tenants import TenantInfo
from models.followups import Followup

KEY_PREFIX = "followup"
DONE, LATER, TOMORROW = "done", "later", "tomorrow"
BUTTONS = ((DONE, "完成", 1), (LATER, "推迟1小时", 2), (TOMORROW, "明天再提醒", 2))
TITLE = "跟进提醒 #{number}"
SOURCE = "跟进提醒"
DESC = "{when} {content}"
CUSTOMER = "客户：{name}"
LATE = "（bot 暂停期间到期，晚了 {minutes} 分钟）"
AGAIN = (
    "【跟进逾期】#{number} {when} {content} 还没完成。"
    "发送「完成 {number} 结果」或「推迟 {number} 到明天」。"
)
TO_ADMIN = "【跟进逾期】{owner} 的跟进 #{number}（{when} {content}）已逾期 {hours} 小时仍未完成。"


def button_key(action: str, followup_id: int) -> str:
    return f"{KEY_PREFIX}:{action}:{followup_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def reminder_card(
    followup: Followup, tenant: TenantInfo, customer: str, late_by: int, task_id: str
) -> Reply:
    desc = DESC.format(when=time_words(followup.due_at, tenant.timezone), content=followup.content)
    if late_by:
        desc += LATE.format(minutes=late_by)
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {"title": TITLE.format(number=followup.number), "desc": desc},
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": button_key(action, followup.id)}
            for action, text, style in BUTTONS
        ],
    }
    if customer:
        card["sub_title_text"] = CUSTOMER.format(name=customer)
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)


def owner_again(followup: Followup, tenant: TenantInfo) -> str:
    when = time_words(followup.due_at, tenant.timezone)
    return AGAIN.format(number=followup.number, when=when, content=followup.content)


def admin_notice(followup: Followup, tenant: TenantInfo, owner: str, now: datetime) -> str:
    when = time_words(followup.due_at, tenant.timezone)
    hours = int((now - followup.due_at).total_seconds() // 3600)
    return TO_ADMIN.format(
        owner=owner, number=followup.number, when=when, content=followup.content, hours=hours
    )
