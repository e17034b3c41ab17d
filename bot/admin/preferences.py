"""What admins set in chat: the time the daily follow-up digest goes out."""

from __future__ import annotations

import re
from datetime import datetime, time

from models.admin import TenantPreferences

DEFAULT_DIGEST_TIME = time(9, 0)
# 09:00, 9:30, 9点, 9点半, 18点15分, 9：00 (a full-width colon from a Chinese keyboard)
_TIME = re.compile(r"^(\d{1,2})(?:[:：](\d{2})|点(?:(\d{1,2})分?|(半))?)$")


# 下午5点 is 17:00: people name the half of the day instead of writing 24-hour time.
_AFTERNOON = ("下午", "晚上", "傍晚")
_MORNING = ("早上", "上午", "早晨", "凌晨", "中午")


def parse_clock_time(text: str) -> time | None:
    """A time of day in 24-hour form (or 早上9点 / 下午5点), or None when ``text`` is not one."""
    text = text.strip()
    later = text.startswith(_AFTERNOON)
    for part in (*_AFTERNOON, *_MORNING):
        text = text.removeprefix(part)
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour = int(match.group(1))
    if later and hour < 12:
        hour += 12
    minute = 30 if match.group(4) else int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def clock_words(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


async def digest_time(tenant_id: int) -> time:
    row = await TenantPreferences.get_or_none(tenant_id=tenant_id)
    if row is None or row.digest_minute is None:
        return DEFAULT_DIGEST_TIME
    return time(row.digest_minute // 60, row.digest_minute % 60)


async def set_digest_time(tenant_id: int, at: time, by: str, now: datetime) -> None:
    await TenantPreferences.update_or_create(
        defaults={
            "digest_minute": at.hour * 60 + at.minute,
            "updated_by": by[:64],
            "updated_at": now,
        },
        tenant_id=tenant_id,
    )
