"""销售统计 (admins): a period's sales for the team in words and as a chart image.

The chart is drawn and uploaded in the route's ``prepare`` step, outside the handler's
transaction, so a slow upload never holds the database; without an upload (WeCom refused
it) the figures still go out, in words.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import Reply, ReplyKind
from bot.orders import phrasings, reports
from bot.orders.access import local_now, today
from bot.orders.chart import Bar, SalesChart, render_sales_chart
from bot.orders.periods import Span, span_named
from bot.orders.reports import Sales
from bot.orders.wording import ranked, sales_lines
from bot.surveys.chart_font import find_cjk_font
from bot.wecom.client import WeComAPIError, WeComClient
from models.tenants import Role

logger = logging.getLogger(__name__)
router = Router(__name__, title="订单", module="orders")

USAGE = "请按这个格式写：销售统计 本月（或 上月、本季、上季）"
NO_CHART = "（图表这次没能上传，稍后再发一次「销售统计」即可。）"
CHART_NAME = "sales.png"
FIGURES, CHART = "sales_figures", "sales_chart"
BARS = 10


def _span(ctx: Context) -> Span:
    word = ctx.args.strip() or "本月"
    span = span_named(word, local_now(ctx).date())
    if span is None:
        raise UserFacingError(USAGE)
    return span


def _chart_of(found: Sales, span: Span) -> SalesChart:
    def bars(counter: Counter[str]) -> list[Bar]:
        top = ranked(counter, BARS)
        return [Bar(name, f"No.{n}", fen) for n, (name, fen) in enumerate(top, start=1)]

    title = f"{span.label}销售（{span.words}）"
    return SalesChart(title, bars(found.by_person), bars(found.by_product))


async def draw_and_upload(ctx: Context) -> None:
    span = _span(ctx)
    start, end = span.bounds(ctx.tenant.timezone)
    found = await reports.sales(ctx.tenant.id, start, end, None, today(ctx))
    ctx.deps[FIGURES] = (span, found)
    client: WeComClient | None = ctx.deps.get("client")
    if not found.orders or client is None:
        return
    png = await asyncio.to_thread(_draw, _chart_of(found, span))
    try:
        ctx.deps[CHART] = await client.upload_media(
            ctx.tenant.credentials, "image", CHART_NAME, png
        )
    except WeComAPIError as exc:
        logger.warning("sales chart for %s not uploaded: %s", ctx.tenant.key, exc)


def _draw(data: SalesChart) -> bytes:
    return render_sales_chart(data, find_cjk_font())


@router.command(
    "销售统计",
    roles=[Role.ADMIN],
    slots=("when",),
    fill="销售统计 {when?|本月|上月|本季|上季}",
    prepare=draw_and_upload,
    examples=phrasings.STATS_EXAMPLES,
    phrasings=phrasings.STATS,
)
async def sales_statistics(ctx: Context) -> list[Reply]:
    """（管理员）销售统计 本月/上月/本季：全队按人、产品、客户，附图表"""
    span, found = ctx.deps[FIGURES]
    text = "\n".join(sales_lines(found, span, team=True))
    media_id = ctx.deps.get(CHART)
    if not found.orders:
        return [Reply(text)]
    if media_id is None:
        return [Reply(f"{text}\n{NO_CHART}")]
    return [Reply(text), Reply(kind=ReplyKind.IMAGE, payload={"media_id": media_id})]
