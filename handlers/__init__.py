"""Handler modules, one per capability, each exposing a ``router``.

``ROUTERS`` is the one place they are included, in the order the dispatcher tries them:
specific commands first, the catch-all hint last.
"""

from __future__ import annotations

from bot.dispatch.router import Router
from handlers import help as help_handlers
from handlers import purchases, subscription


def routers() -> list[Router]:
    return [
        help_handlers.router,
        subscription.router,
        purchases.router,
        # Before the hint: text that names a module the plan lacks gets that module's price.
        subscription.locked_router,
        help_handlers.fallback_router,
    ]
