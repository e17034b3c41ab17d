"""The job on the installer's WeCom calendar (``oa/schedule/add|update|del``), with WeCom's
own reminders the day before and an hour before.

Calendar writes go through the outbox on their own channel, written in the transaction that
dispatches, moves or cancels the job, so a rolled-back command touches no calendar and a
failed call is retried. A row names the job and the version of its appointment; the
transport reads the job as it is when the row goes out, so a row overtaken by a later move
writes nothing (the later row does).
"""

from __future__ import annotations

from typing import Any

from bot.dispatch.types import Reply, ReplyKind
from bot.outbox import Transport
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from models.crm.customers import Customer
from models.installation import BOOKED_STATES, InstallJob
from models.outbox import OutboxMessage
from models.tenants import Employee

CHANNEL = "install_calendar"
PUT, DROP = "put", "drop"
REMIND_BEFORE = (86400, 3600)  # WeCom takes 0, 300, 900, 3600 or 86400 seconds
SUMMARY = "安装 {number} {customer}"


def calendar_reply(job: InstallJob, installer: Employee, action: str) -> Reply:
    payload = {"job_id": job.id, "version": job.version, "action": action}
    return Reply(
        kind=ReplyKind.SCHEDULE, to_user=installer.userid, payload=payload, channel=CHANNEL
    )


async def _entry(job: InstallJob, userid: str) -> dict[str, Any]:
    assert job.window_start is not None and job.window_end is not None
    customer = await Customer.get(id=job.customer_id)
    return {
        "attendees": [{"userid": userid}],
        "start_time": int(job.window_start.timestamp()),
        "end_time": int(job.window_end.timestamp()),
        "summary": SUMMARY.format(number=job.number, customer=customer.display_name)[:128],
        "description": "；".join(p for p in (job.items, job.contact) if p)[:1000],
        "location": job.address[:128],
        "reminders": {
            "is_remind": 1,
            "remind_before_event_secs": REMIND_BEFORE[-1],
            "remind_time_diffs": [-s for s in REMIND_BEFORE],
        },
    }


class CalendarTransport:
    def __init__(self, client: WeComClient) -> None:
        self._client = client

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        job = await InstallJob.get_or_none(id=row.payload.get("job_id"), tenant_id=tenant.id)
        if job is None or job.version != row.payload.get("version"):
            return None  # gone, or moved again since: the newer row writes the calendar
        creds = tenant.credentials
        if row.payload.get("action") == DROP or job.state not in BOOKED_STATES:
            if job.schedule_id:
                await self._client.call(
                    creds, "oa/schedule/del", json={"schedule_id": job.schedule_id}
                )
                await InstallJob.filter(id=job.id).update(schedule_id="")
            return None
        entry = await _entry(job, row.recipient)
        if job.schedule_id:
            entry["schedule_id"] = job.schedule_id
            return await self._client.call(creds, "oa/schedule/update", json={"schedule": entry})
        answer = await self._client.call(creds, "oa/schedule/add", json={"schedule": entry})
        await InstallJob.filter(id=job.id).update(schedule_id=str(answer.get("schedule_id", "")))
        return answer


def calendar_transports(client: WeComClient) -> dict[str, Transport]:
    return {CHANNEL: Transport(CalendarTransport(client).send)}
