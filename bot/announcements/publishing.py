"""Reading what follows 发布公告 5: an optional time (明天10点, 12月8日 上午9点) and an optional
audience after 给, in either order: ``明天10点 给 售后服务版`` or ``给 星辰科技 明天10点``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.announcements.audience import EVERYONE, Audience, read_audience
from bot.dispatch.errors import UserFacingError
from bot.followups.requests import due_time
from bot.nlu.timeparse import parse_time
from bot.subscription.catalog_types import Catalog

USAGE = (
    "请按这个格式写：发布公告 5（现在发给全部客户），或 发布公告 5 明天10点 给 售后服务版"
    "（受众可写版本、模块或企业名，多个用逗号分开）。"
)
_TO = re.compile(r"(?:^|\s|(?<=[点分时天号日]))(?:发给|给|发送给|推送给|to)\s*", re.I)
_LEFTOVER = re.compile(r"^[\s，,。；;在于]*(?:发布|发送|发出|推送|发)?[\s，,。]*$")


@dataclass(frozen=True, slots=True)
class Publishing:
    at: datetime | None  # None: now
    audience: Audience


async def read_publishing(text: str, now: datetime, catalog: Catalog) -> Publishing:
    """``now`` in the tenant's timezone, so 明天10点 is ten in the morning there."""
    parsed = parse_time(text, now)
    at = due_time(parsed, now) if parsed is not None else None
    if parsed is not None:
        text = (text[: parsed.span[0]] + " " + text[parsed.span[1] :]).strip()
    to = _TO.search(text)
    audience = EVERYONE
    if to is not None:
        audience = await read_audience(catalog, text[to.end() :])
        text = text[: to.start()]
    if not _LEFTOVER.match(text):
        raise UserFacingError(USAGE)
    if at is not None and at <= now:
        at = None  # "现在" or a minute ago: publish at once
    return Publishing(at, audience)
