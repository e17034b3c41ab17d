"""The provider's own commands (client health, announcements) are for its operators only: the
``Route.audience`` that keeps everyone else's sentences away from them."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.subscription.service import Billing


def operators_only(ctx: Context) -> bool:
    """True for one of ``[subscription] operators``. Without subscriptions (no billing in the
    deps) there is no provider to tell apart, and nothing is kept away."""
    billing = ctx.deps.get("billing")
    if not isinstance(billing, Billing):
        return True
    return billing.settings.is_operator(ctx.tenant.key, ctx.update.user_id)
