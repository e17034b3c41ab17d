"""Finding a follow-up or a recurring rule by what people call it: 明天给张总打电话的提醒,
王经理那个, 周报提醒.

The words that only point (那个, 的提醒, 跟进 …) are dropped; a time in the description
(明天) narrows the follow-ups to that day when any fall on it. What is left matches when it is
part of the content or the customer's name, or shares most of its two-character pieces with
them (给张总回电话 finds 给张总打电话).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.nlu.timeparse import parse_time
from models.followups import Followup, FollowupStatus, RecurringRule

_POINTERS = re.compile(
    r"那个|那条|那件|这个|这条|这件|的提醒|的跟进|的待办|的事情?|周期提醒|定时提醒|提醒|跟进|待办|"
    r"事情|给我|我的|^的|的$"
)
_EDGES = " \t，,。.：:；;！!？?"
SCAN_LIMIT = 200


def key_of(description: str) -> str:
    return " ".join(_POINTERS.sub(" ", description).split()).strip(_EDGES)


def fits(key: str, *texts: str) -> bool:
    if not key:
        return False
    haystack = "\n".join(t for t in texts if t)
    if key.replace(" ", "") in haystack.replace(" ", ""):
        return True
    if any(t and t in key for t in texts):
        return True
    # 的 joins words without naming anything: 何总的拜访 is 何总 and 拜访 (content 拜访何总).
    bare = key.replace("的", "")
    pieces = {bare[i : i + 2] for i in range(len(bare) - 1)} - {" "}
    shared = sum(piece in haystack for piece in pieces)
    return bool(pieces) and shared * 3 >= len(pieces) * 2


async def open_followups_described(
    tenant_id: int, owner_id: int, description: str, now: datetime
) -> list[Followup]:
    """The owner's open follow-ups the description fits, earliest first."""
    parsed = parse_time(description, now)
    text = description
    if parsed is not None:
        text = description[: parsed.span[0]] + " " + description[parsed.span[1] :]
    key = key_of(text)
    rows = (
        await Followup.filter(tenant_id=tenant_id, owner_id=owner_id, status=FollowupStatus.OPEN)
        .order_by("due_at", "id")
        .limit(SCAN_LIMIT)
        .prefetch_related("customer")
    )
    found = [f for f in rows if fits(key, f.content, f.customer.name if f.customer else "")]
    if parsed is None:
        return found
    if not key:
        found = rows
    day = parsed.start.date()
    same_day = [f for f in found if f.due_at.astimezone(parsed.start.tzinfo).date() == day]
    return same_day or found


async def newest_open(tenant_id: int, owner_id: int) -> list[Followup]:
    """The owner's open follow-up created last (刚才那条): none or one."""
    rows = (
        await Followup.filter(tenant_id=tenant_id, owner_id=owner_id, status=FollowupStatus.OPEN)
        .order_by("-id")
        .limit(1)
        .prefetch_related("customer")
    )
    return list(rows)


def rules_described(rules: list[RecurringRule], description: str) -> list[RecurringRule]:
    key = key_of(description)
    return [rule for rule in rules if fits(key, rule.content)]
