"""控制台: an operator asks for the console and gets a one-time login link. Anyone else is
refused; like most commands it works in a 1:1 chat only, so the link is never posted in a
group."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.provider.console import phrasings
from bot.provider.console.auth import LINK_TTL, Operator, issue_link
from bot.subscription.operators import operators_only, require_operator

router = Router(__name__, title="服务商")

OPERATORS_ONLY = "运营控制台只对服务商的运营人员开放。"
LINK = (
    "运营控制台登录链接（{minutes} 分钟内有效，只能用一次，请勿转发）：\n{url}\n"
    "登录后 8 小时内可直接查看，过期请再发送「控制台」。"
)


@router.command(
    "控制台",
    audience=operators_only,
    help="",  # the provider's own; README "For the provider" lists it
    slots=(),
    examples=phrasings.EXAMPLES,
    phrasings=phrasings.CONSOLE,
)
async def console_link(ctx: Context) -> str:
    """（服务商）运营控制台的一次性登录链接"""
    userid = require_operator(ctx, OPERATORS_ONLY)
    settings = ctx.deps.get("settings")
    if not isinstance(settings, Settings) or not userid:
        raise UserFacingError(OPERATORS_ONLY)
    token = await issue_link(Operator(ctx.tenant.key, userid), ctx.clock.now())
    base = settings.server.public_base_url.rstrip("/")
    return LINK.format(
        minutes=int(LINK_TTL.total_seconds() // 60), url=f"{base}/console/login/{token}"
    )
