"""A colleague named in an admin command (roles, seats), as the userid those are kept by.

"给李四开个席位" becomes "分配席位 李四"; the name is resolved through the address book
(``bot.people.resolve``): a name, a userid, an alias or an @mention, with a numbered choice
when two colleagues share the name.
"""

from __future__ import annotations

from bot.dispatch.args import userid_arg
from bot.dispatch.context import Context
from bot.people.resolve import resolve_userid


async def colleague_userid(
    ctx: Context, command: str, *, what: str = "接手", allow_left: bool = False
) -> str:
    """The userid of the colleague named after ``command``."""
    text = ctx.args.strip()
    if not text or len(text.split()) > 1:
        return userid_arg(ctx, command)  # says what to type
    return await resolve_userid(ctx, text, what=what, allow_left=allow_left)
