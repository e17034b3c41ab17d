"""On site: a location message checks the installer in on the job of the day, and photos are
attached to the job the installer is on.

Which job: the installer's job of today that is on site (施工中) for a photo, and for a
check-in the dispatched job of today whose window starts nearest to now. Distances use the
haversine formula on the job address's coordinates when the job has them.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta, tzinfo

from models.installation import InstallJob, JobState

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> int:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def _today(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


async def job_to_check_in(
    tenant_id: int, installer_id: int, now: datetime, tz: tzinfo
) -> InstallJob | None:
    start, end = _today(now, tz)
    jobs = await InstallJob.filter(
        tenant_id=tenant_id,
        installer_id=installer_id,
        state=JobState.DISPATCHED,
        window_start__gte=start,
        window_start__lt=end,
    )
    if not jobs:
        return None
    return min(jobs, key=lambda j: abs((j.window_start - now).total_seconds()))  # type: ignore[operator]


async def job_on_site(tenant_id: int, installer_id: int) -> InstallJob | None:
    found: InstallJob | None = (
        await InstallJob.filter(
            tenant_id=tenant_id, installer_id=installer_id, state=JobState.STARTED
        )
        .order_by("-started_at")
        .first()
    )
    return found


def check_in(job: InstallJob, lat: float, lng: float, label: str, now: datetime) -> None:
    job.started_at = now
    job.checkin_latitude, job.checkin_longitude, job.checkin_label = lat, lng, label[:200]
    if job.latitude is not None and job.longitude is not None:
        job.checkin_distance_m = distance_m(lat, lng, job.latitude, job.longitude)
    job.state = JobState.STARTED
    job.updated_at = now
