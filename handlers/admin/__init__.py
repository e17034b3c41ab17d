"""Running the team from chat: roles, settings, the audit log, address-book changes."""

from bot.capability import Capability
from handlers.admin import members, settings, team

capability = Capability(
    name="admin",
    title="管理",
    routers=(team.router, settings.router, members.router),
)
