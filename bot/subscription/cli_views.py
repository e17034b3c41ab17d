"""Plain-text views for the billing CLI: one subscription, an order row, the revenue report."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import Term, paid_end
from bot.subscription.money import format_cny
from bot.subscription.periods import last_day
from bot.subscription.plan import Plan
from bot.subscription.pricing import recurring_total
from bot.subscription.revenue import Revenue
from models.subscriptions import Order
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Tenant


def plan_text(catalog: Catalog, plan: Plan) -> str:
    period = catalog.period(plan.period)
    parts = [f"{catalog.edition(plan.edition).name}", f"{plan.seats} seats", period.name]
    parts += [catalog.module(m).name for m in sorted(plan.modules)]
    parts += [catalog.bundle(b).name for b in sorted(plan.bundles)]
    return ", ".join(parts)


def _status(term: Term) -> str:
    ended = term.is_trial and term.status is not Status.TRIAL
    return f"{term.status} (the trial ended unpaid)" if ended else str(term.status)


def subscription_report(catalog: Catalog, tenant: Tenant, term: Term, used: int) -> str:
    period = catalog.period(term.next_plan.period)
    rows = [
        ("tenant", f"{tenant.key} ({tenant.name})"),
        ("status", _status(term)),
        ("plan", plan_text(catalog, term.plan)),
        ("period", f"{term.period_start} → {last_day(term.period_end)} (last day)"),
        ("seats used", f"{used}/{term.plan.seats}"),
    ]
    if term.prepaid_periods:
        through = last_day(paid_end(catalog, term))
        rows.append(("prepaid", f"{term.prepaid_periods} more {period.unit}, through {through}"))
    if term.pending:
        rows.append(("from " + str(term.period_end), plan_text(catalog, term.pending)))
    price = format_cny(recurring_total(catalog, term.next_plan))
    rows.append(("renewal", f"{price} per {period.unit}"))
    width = max(len(label) for label, _ in rows) + 1
    return "\n".join(f"{label + ':':<{width}} {value}" for label, value in rows)


def order_row(order: Order, tenant_key: str, timezone: ZoneInfo) -> str:
    day = order.created_at.astimezone(timezone).date()
    return "\t".join(
        [
            str(order.id),
            tenant_key,
            str(order.status),
            format_cny(order.total),
            order.summary,
            f"created {day} by {order.created_by}",
        ]
    )


def revenue_report(report: Revenue) -> str:
    lines = [f"MRR: {format_cny(report.total)} from {report.paying} paying subscriptions"]
    lines.append("by edition:")
    lines += [f"  {name}\t{format_cny(amount)}" for name, amount in report.by_edition.items()]
    lines.append("by module / bundle:")
    lines += [f"  {name}\t{format_cny(amount)}" for name, amount in report.by_module.items()]
    lines.append(f"trials: {report.trials}")
    lines.append("expiring in the next 30 days:")
    lines += [
        f"  {item.tenant}\t{item.status}\tpaid through {item.paid_through}"
        for item in report.expiring
    ] or ["  none"]
    return "\n".join(lines)
