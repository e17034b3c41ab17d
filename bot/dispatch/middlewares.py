"""The middlewares every update passes through, in order: member, then conversation state.

(The tenant is resolved before they run, and the entitlement check once the route is known;
see ``Dispatcher``.) They run before the handler's transaction opens, so each is a plain step
that enriches the context rather than a wrapper around the handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.dispatch.context import Context
from bot.dispatch.state import customer_key, load_conversation
from bot.dispatch.types import Channel
from models.tenants import Employee, Role

Middleware = Callable[[Context], Awaitable[None]]

# last_seen_at is for reports ("who uses the bot"); minute precision is plenty, and skipping
# the write on most messages keeps the hot path to one query.
LAST_SEEN_PRECISION = timedelta(minutes=5)


async def member_middleware(ctx: Context) -> None:
    """Give the update's employee a row on first contact, and keep admins from config."""
    user_id = ctx.update.user_id
    if user_id:
        ctx.employee = await _touch_employee(ctx, user_id)


async def _touch_employee(ctx: Context, user_id: str) -> Employee:
    now = ctx.clock.now()
    role = Role.ADMIN if user_id in ctx.tenant.admins else Role.MEMBER
    employee, created = await Employee.get_or_create(
        tenant_id=ctx.tenant.id,
        userid=user_id,
        defaults={"role": role, "first_seen_at": now, "last_seen_at": now},
    )
    if created:
        return employee
    changes: dict[str, object] = {}
    if now - employee.last_seen_at >= LAST_SEEN_PRECISION:
        changes["last_seen_at"] = now
    if role == Role.ADMIN and employee.role != Role.ADMIN:
        changes["role"] = Role.ADMIN
    if changes:
        await Employee.filter(id=employee.id).update(**changes)
        for name, value in changes.items():
            setattr(employee, name, value)
    return employee


async def conversation_middleware(ctx: Context) -> None:
    update = ctx.update
    user_id = update.user_id
    if user_id is None and update.channel is Channel.KF and update.fields.get("external_userid"):
        user_id = customer_key(str(update.fields["external_userid"]))
    if user_id and not update.is_event:
        ctx.conversation = await load_conversation(ctx.tenant.id, user_id, ctx.clock)


DEFAULT_MIDDLEWARES: tuple[Middleware, ...] = (member_middleware, conversation_middleware)
