"""Who the provider's operators are, asked of a command's context: the one test behind the
provider's commands (client health, announcements, support requests, confirming payments) and
the ``Route.audience`` that keeps everyone else's sentences away from them."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.subscription.service import Billing
from bot.subscription.settings import SubscriptionSettings


def _settings(ctx: Context) -> SubscriptionSettings | None:
    billing = ctx.deps.get("billing")
    if isinstance(billing, Billing):
        return billing.settings
    # Support requests work without billing: the operators are still configured.
    found = getattr(ctx.deps.get("settings"), "subscription", None)
    return found if isinstance(found, SubscriptionSettings) else None


def is_operator(ctx: Context) -> bool:
    """True for one of ``[subscription] operators`` speaking from their own tenant."""
    settings = _settings(ctx)
    return settings is not None and settings.is_operator(ctx.tenant.key, ctx.update.user_id)


def require_operator(ctx: Context, refusal: str) -> str:
    """The operator's userid; anyone else hears ``refusal`` and nothing of the data."""
    if not is_operator(ctx):
        raise UserFacingError(refusal)
    return ctx.update.user_id or ""


def operators_only(ctx: Context) -> bool:
    """The audience of the operators' commands. Without subscriptions there is no provider
    to tell apart, and nothing is kept away."""
    return not isinstance(ctx.deps.get("billing"), Billing) or is_operator(ctx)
