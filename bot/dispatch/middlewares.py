"""The middlewares every update passes through, in order: member, then conversation state.

(The tenant is resolved before they run, and the entitlement check once the route is known;
see ``Dispatcher``.) They run before the handler's transaction opens, so each is a plain step
that enriches the context rather than a wrapper around the handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.dispatch.context import Context
from bot.dispatch.members import add_member, member_and_conversation
from bot.dispatch.state import conversation_from_row, customer_key, load_conversation
from bot.dispatch.types import Channel
from models.tenants import Employee, Role

Middleware = Callable[[Context], Awaitable[None]]

# last_seen_at is for reports ("who uses the bot"); minute precision is plenty, and skipping
# the write on most messages keeps the hot path to one query.
LAST_SEEN_PRECISION = timedelta(minutes=5)


async def member_middleware(ctx: Context) -> None:
    """Give the update's employee a row on first contact, and keep admins from config.

    The same statement reads the member's conversation state (see ``bot.dispatch.members``),
    so ``conversation_middleware`` has nothing left to ask for a member's message."""
    user_id = ctx.update.user_id
    if not user_id:
        return
    now = ctx.clock.now()
    role = Role.ADMIN if user_id in ctx.tenant.admins else Role.MEMBER
    found = await member_and_conversation(ctx.tenant.id, user_id)
    if found is None:
        ctx.employee = await _first_contact(ctx, user_id, role, now)
        return
    employee, state = found
    ctx.employee = await _touch(employee, role, now)
    if not ctx.update.is_event:
        ctx.conversation = await conversation_from_row(ctx.tenant.id, user_id, ctx.clock, state)


async def _first_contact(ctx: Context, user_id: str, role: Role, now: datetime) -> Employee:
    added = await add_member(ctx.tenant.id, user_id, role, now)
    if added is not None:
        return added
    # Stored meanwhile by a message of theirs handled at the same moment (another replica).
    found = await member_and_conversation(ctx.tenant.id, user_id)
    if found is None:  # and removed again just as fast: store it as this message finds it
        return await Employee.create(
            tenant_id=ctx.tenant.id, userid=user_id, role=role, first_seen_at=now, last_seen_at=now
        )
    return await _touch(found[0], role, now)


async def _touch(employee: Employee, role: Role, now: datetime) -> Employee:
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
    if ctx.conversation is not None or update.is_event:
        return  # read with the member's row
    user_id = update.user_id
    if user_id is None and update.channel is Channel.KF and update.fields.get("external_userid"):
        user_id = customer_key(str(update.fields["external_userid"]))
    if user_id:
        ctx.conversation = await load_conversation(ctx.tenant.id, user_id, ctx.clock)


DEFAULT_MIDDLEWARES: tuple[Middleware, ...] = (member_middleware, conversation_middleware)
