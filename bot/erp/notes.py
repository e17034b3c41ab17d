"""ERP-lite's scheduled notices to admins: the morning stock note, the monthly 进销存汇总 and
the nightly ledger check.

Each is sent at most once per period (a local day, a local month) per tenant, whatever the
replicas and restarts do: the period's key is claimed by inserting a ``Notice`` row, in the
same transaction as the notice's outbox rows (``bot.subscription.notify``), so of two
replicas reaching the same period exactly one sends it. The sweeps run every few minutes
and decide per tenant, in its own timezone, whether a period is due, so a bot that was down
at the hour sends at its first chance later in the period.

- **Morning note** (from ``MORNING_HOUR``): products at or below their warning line, purchase
  orders past their delivery date, and yesterday's stock-outs refused for short stock.
  Nothing to say, nothing sent: the day stays unclaimed, and a later tick that day sends
  the note once there is something in it (a product dropping below its line, say).
- **Monthly summary** (the 1st, from ``SUMMARY_HOUR``): last month per product: opening, in,
  out and closing, in quantity and in value at cost as the ledger recorded it when each move
  was posted (``StockMove.value_fen``: purchases at their price, everything else at the
  moving-average cost then). Moves without a value (posted before values were recorded, or
  when the product had no cost at all) are valued at the product's 进价 now, and the line
  says so. Transfers between warehouses move nothing in or out of the tenant and are left
  out.
- **Nightly check** (from ``CHECK_HOUR``): ``check_stock`` once per local day; admins hear of
  it only on a mismatch. The day's run is claimed before it starts (the check reads the
  whole ledger, so two replicas should not both run it); a run that dies half-way leaves
  that night unchecked, and the next night checks everything again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from bot.erp.check import CheckReport, check_stock
from bot.erp.inquiry import low_stock
from bot.erp.purchase_view import missing_words
from bot.erp.purchasing import overdue
from bot.erp.stock import amount
from bot.erp.wording import KIND_WORDS, check_words
from bot.notices import anyone_to_tell
from bot.subscription import notify
from bot.subscription.money import format_fen
from bot.tenants import TenantInfo
from models.erp import MoveKind, StockBalance, StockMove, StockRefusal
from models.outbox import OutboxMessage
from models.products import Product
from models.subscriptions import Notice

MORNING_HOUR = 8
SUMMARY_DAY, SUMMARY_HOUR = 1, 9
CHECK_HOUR = 2
SHOWN = 20  # lines per section of the morning note
SUMMARY_SHOWN = 60  # products in the monthly summary

MORNING_HEAD = "【库存早报】{day}"
LOW_HEAD = "低库存 {count} 种："
OVERDUE_HEAD = "逾期未到货的采购单 {count} 张："
REFUSED_HEAD = "昨天因库存不足被拒的出库 {count} 次："
MORE = "……另有 {count} 条"
MORNING_FOOT = "明细发送「低库存」「未到货」。"

SUMMARY_HEAD = "【进销存汇总】{year}年{month}月（金额按移动平均成本计）"
SUMMARY_LINE = "{name}：期初 {opening}，入库 {came_in}，出库 {went_out}，期末 {closing}"
SUMMARY_TOTAL = "合计金额：期初 {opening}，入库 {came_in}，出库 {went_out}，期末 {closing}"
SUMMARY_MORE = "……另有 {count} 种商品未列出"
NO_PRICE = "（未填进价，不计金额）"
ESTIMATED = "（部分流水没有成本记录，按进价估算）"

CHECK_ALERT = "【库存核对】夜间核对发现库存与流水不一致，请尽快处理：\n{details}"

# Moves inside the tenant: neither in nor out of the summary.
TRANSFERS = (MoveKind.TRANSFER_IN, MoveKind.TRANSFER_OUT)


def local_day(now: datetime, tenant: TenantInfo) -> date:
    return now.astimezone(tenant.timezone).date()


def _start_of(day: date, tenant: TenantInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tenant.timezone).astimezone(UTC)


# The morning note --------------------------------------------------------------------------


async def morning_text(tenant: TenantInfo, now: datetime) -> str | None:
    """Today's note, or None when there is nothing to report."""
    today = local_day(now, tenant)
    low = await low_stock(tenant.id)
    late = await overdue(tenant.id, today)
    refused = await refusals(tenant, today - timedelta(days=1))
    if not (low or late or refused):
        return None
    lines = [MORNING_HEAD.format(day=f"{today.month}月{today.day}日")]
    if low:
        lines.append(LOW_HEAD.format(count=len(low)))
        for item in low[:SHOWN]:
            unit = item.product.unit
            coming = f"，在途 {amount(item.on_order, unit)}" if item.on_order else ""
            lines.append(
                f"· {item.product.name} {amount(item.on_hand, unit)}"
                f"（预警 {amount(item.product.min_qty or 0, unit)}{coming}）"
            )
        lines += _more(len(low))
    if late:
        lines.append(OVERDUE_HEAD.format(count=len(late)))
        for order in late[:SHOWN]:
            assert order.expected_date is not None
            days = (today - order.expected_date).days
            lines.append(
                f"· {order.number} {order.supplier.name} 逾期 {days} 天，"
                f"还差 {missing_words(list(order.lines))}"
            )
        lines += _more(len(late))
    if refused:
        lines.append(REFUSED_HEAD.format(count=len(refused)))
        for row in refused[:SHOWN]:
            unit = row.product.unit
            local = row.at.astimezone(tenant.timezone)
            who = row.actor.name or row.actor.userid if row.actor is not None else ""
            what = KIND_WORDS.get(row.kind, "出库")
            lines.append(
                f"· {local:%H:%M} {who}{what}「{row.product.name}」{amount(row.wanted, unit)}，"
                f"{row.warehouse.name}只有 {amount(row.available, unit)}"
                + (f"（{row.reference}）" if row.reference else "")
            )
        lines += _more(len(refused))
    lines.append(MORNING_FOOT)
    return "\n".join(lines)


def _more(count: int) -> list[str]:
    return [MORE.format(count=count - SHOWN)] if count > SHOWN else []


async def refusals(tenant: TenantInfo, day: date) -> list[StockRefusal]:
    """The stock-outs refused on ``day`` (tenant-local), oldest first."""
    return (
        await StockRefusal.filter(
            tenant_id=tenant.id,
            at__gte=_start_of(day, tenant),
            at__lt=_start_of(day + timedelta(days=1), tenant),
        )
        .order_by("at", "id")
        .prefetch_related("product", "warehouse", "actor")
    )


async def morning_note(tenant: TenantInfo, now: datetime, lease: timedelta) -> list[OutboxMessage]:
    """Today's note for one tenant as outbox rows: none before ``MORNING_HOUR``, when it was
    sent today already (by this process or another), or when there is nothing to say."""
    local = now.astimezone(tenant.timezone)
    if local.hour < MORNING_HOUR or not await anyone_to_tell(tenant):
        return []
    key = f"erp:morning:{local.date().isoformat()}"
    if await _claimed(tenant, key):
        return []
    text = await morning_text(tenant, now)
    if text is None:
        return []
    return await notify.send_once(tenant, key, "erp-morning", text, now=now, lease=lease)


# The monthly summary -----------------------------------------------------------------------


@dataclass(slots=True)
class Flow:
    """One of a product's figures for the month: the quantity, and its value at cost as
    the ledger recorded it. ``unvalued`` is the part of the quantity whose moves carry no
    value (moves from before values were recorded, or with no cost known then)."""

    qty: int = 0
    value_fen: int = 0
    unvalued: int = 0

    def plus(self, other: Flow, sign: int = 1) -> Flow:
        return Flow(
            self.qty + sign * other.qty,
            self.value_fen + sign * other.value_fen,
            self.unvalued + sign * other.unvalued,
        )


@dataclass(slots=True)
class SummaryLine:
    product: Product
    opening: Flow
    came_in: Flow
    went_out: Flow

    @property
    def closing(self) -> Flow:
        return self.opening.plus(self.came_in).plus(self.went_out, -1)

    def value(self, flow: Flow) -> int | None:
        """At cost, the unvalued part at the product's 进价 (None: that part has no price)."""
        if not flow.unvalued:
            return flow.value_fen
        price = self.product.purchase_price_fen
        return None if price is None else flow.value_fen + flow.unvalued * price

    @property
    def estimated(self) -> bool:
        return any(f.unvalued for f in (self.opening, self.came_in, self.went_out))


def month_before(day: date) -> tuple[date, date]:
    """The first day of the month before ``day``'s, and the first day of ``day``'s month."""
    this_month = day.replace(day=1)
    last = (this_month - timedelta(days=1)).replace(day=1)
    return last, this_month


async def _flows(query: QuerySet[StockMove]) -> dict[int, Flow]:
    """Per product: Σ |qty| and Σ |value| of the moves with a value, Σ |qty| of those without."""
    flows: dict[int, Flow] = defaultdict(Flow)
    valued = (
        await query.filter(value_fen__isnull=False)
        .annotate(total=Sum("qty_delta"), worth=Sum("value_fen"))
        .group_by("product_id")
        .values("product_id", "total", "worth")
    )
    for row in valued:
        flow = flows[int(row["product_id"])]
        flow.qty += abs(int(row["total"] or 0))
        flow.value_fen += abs(int(row["worth"] or 0))
    bare = (
        await query.filter(value_fen__isnull=True)
        .annotate(total=Sum("qty_delta"))
        .group_by("product_id")
        .values("product_id", "total")
    )
    for row in bare:
        flow = flows[int(row["product_id"])]
        qty = int(row["total"] or 0)
        flow.qty += abs(qty)
        flow.unvalued += abs(qty)
    return flows


async def month_summary(tenant: TenantInfo, first: date, next_first: date) -> list[SummaryLine]:
    """Per product, the month [first, next_first) of the tenant's stock at moving-average
    cost, products that had none and moved none left out; ordered by name. The opening is
    everything before the month, signed (so stock below zero opens below zero)."""
    start, end = _start_of(first, tenant), _start_of(next_first, tenant)
    moves = StockMove.filter(tenant_id=tenant.id)
    inside = moves.filter(at__gte=start, at__lt=end).exclude(kind__in=TRANSFERS)
    opening = await _opening(moves.filter(at__lt=start))
    came_in = await _flows(inside.filter(qty_delta__gt=0))
    went_out = await _flows(inside.filter(qty_delta__lt=0))
    ids = set(opening) | set(came_in) | set(went_out)
    products = {p.id: p for p in await Product.filter(id__in=list(ids))}
    found = [
        SummaryLine(
            products[pid],
            opening.get(pid, Flow()),
            came_in.get(pid, Flow()),
            went_out.get(pid, Flow()),
        )
        for pid in ids
        if pid in products
    ]
    found = [line for line in found if line.opening.qty or line.came_in.qty or line.went_out.qty]
    return sorted(found, key=lambda line: (line.product.name, line.product.id))


async def _opening(query: QuerySet[StockMove]) -> dict[int, Flow]:
    """The stock before the month, signed: what came in less what went out, in quantity and
    value (the ledger's running value at cost)."""
    ins = await _flows(query.filter(qty_delta__gt=0))
    outs = await _flows(query.filter(qty_delta__lt=0))
    return {
        pid: ins.get(pid, Flow()).plus(outs.get(pid, Flow()), -1) for pid in set(ins) | set(outs)
    }


def _qty_and_value(line: SummaryLine, flow: Flow) -> str:
    text = amount(flow.qty, line.product.unit)
    if line.estimated and line.product.purchase_price_fen is None:
        return text  # part of it has no cost at all: no figure rather than a partial one
    value = line.value(flow)
    return text if value is None else f"{text} {format_fen(value)}"


def _flag(line: SummaryLine) -> str:
    if not line.estimated:
        return ""
    return NO_PRICE if line.product.purchase_price_fen is None else ESTIMATED


def summary_text(first: date, lines: list[SummaryLine]) -> str:
    text = [SUMMARY_HEAD.format(year=first.year, month=first.month)]
    totals = {"opening": 0, "came_in": 0, "went_out": 0, "closing": 0}
    for line in lines:
        for field in totals:
            totals[field] += line.value(getattr(line, field)) or 0
    for line in lines[:SUMMARY_SHOWN]:
        text.append(
            "· "
            + SUMMARY_LINE.format(
                name=line.product.name,
                opening=_qty_and_value(line, line.opening),
                came_in=_qty_and_value(line, line.came_in),
                went_out=_qty_and_value(line, line.went_out),
                closing=_qty_and_value(line, line.closing),
            )
            + _flag(line)
        )
    if len(lines) > SUMMARY_SHOWN:
        text.append(SUMMARY_MORE.format(count=len(lines) - SUMMARY_SHOWN))
    text.append(SUMMARY_TOTAL.format(**{k: format_fen(v) for k, v in totals.items()}))
    return "\n".join(text)


async def monthly_summary(
    tenant: TenantInfo, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Last month's 进销存汇总 for one tenant as outbox rows: from the 1st at
    ``SUMMARY_HOUR`` (or the first tick after it that month), once a month; none when the
    tenant had no stock."""
    local = now.astimezone(tenant.timezone)
    if (local.day, local.hour) < (SUMMARY_DAY, SUMMARY_HOUR) or not await anyone_to_tell(tenant):
        return []
    first, next_first = month_before(local.date())
    key = f"erp:monthly:{first:%Y-%m}"
    if await _claimed(tenant, key):
        return []
    lines = await month_summary(tenant, first, next_first)
    if not lines:
        return []
    text = summary_text(first, lines)
    return await notify.send_once(tenant, key, "erp-monthly", text, now=now, lease=lease)


# The nightly check -------------------------------------------------------------------------


async def nightly_check(
    tenant: TenantInfo, now: datetime, lease: timedelta
) -> tuple[CheckReport | None, list[OutboxMessage]]:
    """Tonight's ledger check for one tenant: (the report, the alert's outbox rows). (None,
    []) before ``CHECK_HOUR``, when tonight's check was claimed already, or for a tenant
    with no stock; the rows are [] when everything agrees."""
    local = now.astimezone(tenant.timezone)
    if local.hour < CHECK_HOUR:
        return None, []
    if not await StockBalance.exists(tenant_id=tenant.id):
        return None, []
    day = local.date().isoformat()
    if not await notify.claim(tenant.id, f"erp:check-run:{day}", "erp-check-run", [], now):
        return None, []
    report = await check_stock(tenant.id)
    if report.ok:
        return report, []
    text = CHECK_ALERT.format(details=check_words(report))
    rows = await notify.send_once(
        tenant, f"erp:check:{day}", "erp-check", text, now=now, lease=lease
    )
    return report, rows


async def _claimed(tenant: TenantInfo, key: str) -> bool:
    """Whether ``key`` was claimed already: skips the work of writing a notice that
    ``send_once`` would drop anyway (the claim itself is what makes it once)."""
    return await Notice.exists(tenant_id=tenant.id, key=key)
