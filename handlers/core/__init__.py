"""帮助, small talk, and the answer to anything no other capability understood."""

from bot.capability import Capability
from handlers.core import fallback, help, smalltalk, steps

capability = Capability(
    name="core",
    title="通用",
    routers=(
        help.router,
        smalltalk.router,
        steps.router,
        fallback.choice_router,
        fallback.router,
    ),
)
