"""The audit log: every admin or dispatcher command, and every refusal of one.

The dispatcher writes the entry (``record``) inside the handler's transaction, so an entry
exists exactly when its effect does; a command that failed leaves its entry and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.dispatch.context import Context
from bot.dispatch.types import Reply
from models.admin import AuditEntry, AuditResult

COMMAND_LIMIT = 500
SUMMARY_LIMIT = 500
RESULT_WORDS = {AuditResult.OK: "成功", AuditResult.REFUSED: "拒绝", AuditResult.ERROR: "失败"}
EXPORT_FIELDS = (
    "time",
    "userid",
    "channel",
    "chat_type",
    "chat_id",
    "command",
    "result",
    "summary",
)


def summary_of(replies: Sequence[Reply]) -> str:
    """The first line of the first answer: what the command did, in the bot's own words."""
    for reply in replies:
        line = reply.text.strip().splitlines()[0] if reply.text.strip() else ""
        if line:
            return line[:SUMMARY_LIMIT]
    return ""


async def record(ctx: Context, result: AuditResult, summary: str) -> AuditEntry:
    update = ctx.update
    return await AuditEntry.create(
        tenant_id=ctx.tenant.id,
        userid=(update.user_id or "")[:64],
        channel=update.channel.value,
        chat_type=update.chat_type.value,
        chat_id=(update.chat_id or "")[:128],
        command=update.text.strip()[:COMMAND_LIMIT],
        result=result,
        summary=summary[:SUMMARY_LIMIT],
        created_at=ctx.clock.now(),
    )


async def recent(tenant_id: int, *, limit: int, offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Newest first, and how many there are in all."""
    query = AuditEntry.filter(tenant_id=tenant_id)
    total = await query.count()
    rows = await query.order_by("-created_at", "-id").offset(offset).limit(limit)
    return rows, total


async def since(tenant_id: int, start: datetime | None) -> list[AuditEntry]:
    """Oldest first, for exports."""
    query = AuditEntry.filter(tenant_id=tenant_id)
    if start is not None:
        query = query.filter(created_at__gte=start)
    return await query.order_by("created_at", "id")


def export_row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "time": entry.created_at.isoformat(),
        "userid": entry.userid,
        "channel": entry.channel,
        "chat_type": entry.chat_type,
        "chat_id": entry.chat_id,
        "command": entry.command,
        "result": entry.result.value,
        "summary": entry.summary,
    }
