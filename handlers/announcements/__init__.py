"""Upgrade announcements: the provider's operators draft, schedule, publish and revoke them;
each client enterprise's admins get a card whose 知道了 is the read receipt; members read
them with 公告."""

from bot.capability import Capability
from handlers.announcements import manage, reading, reports
from scheduler.announcements import announcement_jobs

capability = Capability(
    name="announcements",
    title="公告",
    routers=(manage.router, reports.router, reading.router),
    jobs=announcement_jobs,
)
