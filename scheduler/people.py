"""The people capability's scheduled work: syncing address books when due
(``bot.people.schedule``), and teaching this process's segmenter the names another replica,
the CLI or a callback stored since its last look."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.capability import Services
from bot.clock import Clock
from bot.nlu.segment import Segmenter
from bot.people.schedule import sync_due
from bot.people.sync import sync_directory
from bot.tenants import TenantDirectory
from bot.wecom.client import WeComAPIError, WeComClient
from models.people import DirectoryMember, MemberStatus
from models.tenants import Tenant
from scheduler.jobs import SweepJob

logger = logging.getLogger(__name__)

SYNC_SECONDS = 60
NAMES_SECONDS = 60
LOOK_BACK = timedelta(minutes=2)  # a row written while the last look ran is not missed


def people_jobs(services: Services) -> list[SweepJob]:
    client, tenants, clock = services.client, services.tenants, services.clock
    segmenter = services.segmenter
    jobs = [
        SweepJob(
            "people-directory-sync",
            SYNC_SECONDS,
            lambda: sync_when_due(tenants, client, clock, segmenter),
        )
    ]
    if segmenter is not None:
        learner = DirectoryNames(segmenter)
        jobs.append(SweepJob("people-names", NAMES_SECONDS, lambda: learner.learn(clock.now())))
    return jobs


async def sync_when_due(
    tenants: TenantDirectory, client: WeComClient, clock: Clock, segmenter: Segmenter | None
) -> int:
    synced = 0
    for row in await Tenant.all().order_by("id").only("id"):
        tenant = await tenants.get_by_id(row.id)
        if tenant is None or not await sync_due(tenant.id, tenant.timezone, clock.now()):
            continue
        learn = segmenter.add_names if segmenter is not None else None
        try:
            report = await sync_directory(client, tenant, clock, learn=learn)
        except WeComAPIError as exc:
            logger.error("address book sync of %s stopped (it resumes later): %s", tenant.key, exc)
            continue
        synced += report.members
    return synced


class DirectoryNames:
    """Members' names into the segmenter: all at the first look, then those changed since."""

    def __init__(self, segmenter: Segmenter) -> None:
        self._segmenter = segmenter
        self._since: datetime | None = None

    async def learn(self, now: datetime) -> int:
        query = DirectoryMember.filter(status=MemberStatus.ACTIVE).exclude(name="")
        if self._since is not None:
            query = query.filter(updated_at__gte=self._since - LOOK_BACK)
        names = await query.values_list("name", flat=True)
        self._since = now
        return self._segmenter.add_names(str(name) for name in names)
