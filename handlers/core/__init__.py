"""帮助 and the answer to anything no other capability understood."""

from bot.capability import Capability
from handlers.core import help

capability = Capability(
    name="core",
    title="通用",
    routers=(help.router, help.fallback_router),
)
