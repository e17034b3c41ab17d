"""客户满意度 (operators): the quarter's NPS of the provider's clients."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.vendor_support.nps import quarter_of
from bot.vendor_support.nps_report import satisfaction_report
from handlers.vendor_support.desk import ensure_operator
from handlers.vendor_support.requests import HIDDEN

router = Router(__name__, title="客户满意度（服务商）")

EXAMPLES = (
    "客户满意度",
    "这个季度客户满意度怎么样",
    "客户的NPS多少",
)
PHRASINGS = (
    (
        # No 看看 / 查下 in front: 看看客户 … is the customer book's lookup (看看客户 张总).
        r"(?:这个季度|本季度|这季度)?(?:的)?(?:客户|客户们)(?:的)?"
        r"(?:满意度|NPS|nps|推荐度)(?:怎么样|如何|多少|是多少)?[?？]*",
        "客户满意度",
    ),
)


@router.command("客户满意度", help=HIDDEN, examples=EXAMPLES, phrasings=PHRASINGS)
async def provider_satisfaction(ctx: Context) -> str:
    """（服务商）客户满意度：本季度各客户企业管理员的 NPS"""
    ensure_operator(ctx)
    local = ctx.clock.now().astimezone(ctx.tenant.timezone)
    return await satisfaction_report(quarter_of(local.date()))
