"""A colleague named in a command, by WeCom userid or by the name the bot knows them by.

"给李四开个席位" becomes "分配席位 李四"; seats and roles are kept by userid, so a name is
turned into the userid of the one colleague who has it. Two colleagues with the same name,
or a name nobody has, get a reply that asks for the userid instead.
"""

from __future__ import annotations

from bot.dispatch.args import USERID_RE, userid_arg
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from models.tenants import Employee

UNKNOWN_NAME = (
    "没找到叫「{name}」的同事（同事要先给我发过消息）。请写企业微信 userid，例如：{command} lisi"
)
SAME_NAME = "有 {count} 位同事都叫「{name}」，请写企业微信 userid，例如：{command} lisi"


async def colleague_userid(ctx: Context, command: str) -> str:
    """The userid after ``command``: as written when it is one, else the userid of the one
    colleague with that name."""
    text = ctx.args.strip()
    if not text or USERID_RE.match(text) or len(text.split()) > 1:
        return userid_arg(ctx, command)  # a name has no spaces: "李 四" is a mistyped userid
    named = await Employee.filter(tenant_id=ctx.tenant.id, name=text).limit(3)
    if not named:
        raise UserFacingError(UNKNOWN_NAME.format(name=text[:20], command=command))
    if len(named) > 1:
        raise UserFacingError(SAME_NAME.format(count=len(named), name=text[:20], command=command))
    return named[0].userid
