"""The daily digest: at 09:00 tenant time on working days (or the time the tenant's admins
set with 设置 提醒时间), each employee with open follow-ups gets today's and the overdue ones
in one message.

Working days skip weekends and Chinese public holidays, and include their make-up working
days (调休), from the ``chinesecalendar`` package; for a year it does not cover yet, weekends
only, and the log says so. The outbox key carries the local date, so a replica or a second
tick that day writes nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from bot.admin.preferences import digest_time
from bot.dispatch.types import Channel, Reply
from bot.followups import listing
from bot.outbox import enqueue
from bot.tenants import TenantInfo
from bot.workdays import is_working_day
from models.followups import Followup, FollowupStatus
from models.outbox import OutboxMessage

HEADER = "【今日跟进】今天要跟进和已逾期的共 {count} 条："
FOOTER = "完成后发送「完成 编号 结果」，改时间发送「推迟 编号 到周五」。"


async def _owners_due(tenant_id: int, before: datetime) -> list[int]:
    rows = await Followup.filter(
        tenant_id=tenant_id, status=FollowupStatus.OPEN, due_at__lt=before
    ).values("owner_id")
    return sorted({int(r["owner_id"]) for r in rows})


async def daily_digest(tenant: TenantInfo, now: datetime, lease: timedelta) -> list[OutboxMessage]:
    local = now.astimezone(tenant.timezone)
    if local.time() < await digest_time(tenant.id) or not is_working_day(local.date()):
        return []
    before = listing.end_of_today(now, tenant.timezone)
    rows: list[OutboxMessage] = []
    for owner_id in await _owners_due(tenant.id, before):
        found, total = await listing.open_followups(tenant.id, owner_id=owner_id, before=before)
        if not found:
            continue
        text = listing.render(HEADER, found, total, tenant.timezone, now, team=False)
        async with in_transaction():
            rows += await enqueue(
                tenant.id,
                [Reply(f"{text}\n{FOOTER}")],
                default_user=found[0].owner.userid,
                key_prefix=f"followup:digest:{local.date().isoformat()}:{owner_id}",
                channel=Channel.APP.value,
                now=now,
                lease=lease,
            )
    return rows
