"""Who decides about a job when the customer asks for something (another time, another visit)
or a job needs attention: its booker and the dispatchers, else the admins."""

from __future__ import annotations

from collections.abc import Sequence

from bot.tenants import TenantInfo
from models.installation import InstallJob
from models.tenants import Employee, Role

NO_NOTE = "（没有写原因）"


async def deciders(tenant: TenantInfo, job: InstallJob) -> Sequence[str]:
    """The job's booker and the dispatchers; the admins when there are none."""
    ids = [job.creator_id] if job.creator_id else []
    chosen = {
        e.userid: None
        for e in await Employee.filter(tenant_id=tenant.id, id__in=ids).order_by("id")
    }
    dispatchers = await Employee.filter(tenant_id=tenant.id, role=Role.DISPATCHER).order_by("id")
    chosen.update({e.userid: None for e in dispatchers})
    if not chosen:
        admins = await Employee.filter(tenant_id=tenant.id, role=Role.ADMIN).order_by("id")
        chosen.update({userid: None for userid in tenant.admins})
        chosen.update({e.userid: None for e in admins})
    return list(chosen)
