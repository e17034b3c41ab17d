"""Running the team from chat: roles, settings, the audit log."""

from bot.capability import Capability
from handlers.admin import settings, team

capability = Capability(
    name="admin",
    title="管理",
    routers=(team.router, settings.router),
)
