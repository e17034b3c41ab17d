"""日报: the day for the team, for admins."""

from bot.capability import Capability
from handlers.reports import daily

capability = Capability(name="reports", title="管理", routers=(daily.router,))
