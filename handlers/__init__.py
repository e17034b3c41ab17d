"""Handler modules, one per capability, each exposing a ``router``.

``ROUTERS`` is the one place they are included, in the order the dispatcher tries them:
specific commands first, the catch-all hint last.
"""

from __future__ import annotations

from bot.dispatch.router import Router
from handlers import help as help_handlers


def routers() -> list[Router]:
    return [
        help_handlers.router,
        help_handlers.fallback_router,
    ]
