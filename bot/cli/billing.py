"""`scrm-bot subscription show|set|extend TENANT`, `scrm-bot order list|confirm ID` and
`scrm-bot revenue`: the vendor's side of billing, from the command line.

Every change is audited with the actor ``cli`` (``cli:NAME`` with ``--by``). Messages for a
tenant's admins (an order taking effect) go to the outbox; the running bot sends them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from zoneinfo import ZoneInfo

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.clock import SystemClock
from bot.subscription import operations as ops
from bot.subscription.catalog import UnknownItemError
from bot.subscription.cli_views import order_row, revenue_report, subscription_report
from bot.subscription.service import Billing
from models.subscriptions import Order, OrderStatus
from models.tenants import Tenant

Work = Callable[[argparse.Namespace, Billing], Awaitable[int]]
NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"


def _command(work: Work) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        settings = settings_of(args)
        billing = Billing(settings.subscription, SystemClock())
        return with_database(settings, lambda: work(args, billing))

    return run


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return 1


def _actor(args: argparse.Namespace) -> str:
    return f"cli:{args.by}" if args.by else "cli"


async def _report(billing: Billing, tenant: Tenant) -> None:
    term = await ops.current_term(billing, tenant)
    _say(subscription_report(billing.catalog, tenant, term, await ops.seats_used(tenant)))


async def show_subscription(args: argparse.Namespace, billing: Billing) -> int:
    tenant = await ops.find_tenant(billing, args.tenant)
    if tenant is None:
        return _fail(NO_TENANT.format(key=args.tenant))
    await _report(billing, tenant)
    return 0


def _names(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(n.strip() for n in text.split(",") if n.strip())


async def set_subscription(args: argparse.Namespace, billing: Billing) -> int:
    tenant = await ops.find_tenant(billing, args.tenant)
    if tenant is None:
        return _fail(NO_TENANT.format(key=args.tenant))
    edit = ops.PlanEdit(
        args.edition, args.seats, args.period, _names(args.modules), _names(args.bundles)
    )
    try:
        await ops.set_plan(billing, tenant, edit, args.activate_on, _actor(args))
    except UnknownItemError as exc:
        return _fail(f"unknown {exc.kind} {exc.name!r}; choose from: {', '.join(exc.choices)}")
    await _report(billing, tenant)
    return 0


async def extend_subscription(args: argparse.Namespace, billing: Billing) -> int:
    tenant = await ops.find_tenant(billing, args.tenant)
    if tenant is None:
        return _fail(NO_TENANT.format(key=args.tenant))
    await ops.extend(billing, tenant, args.periods, args.days or 0, _actor(args))
    await _report(billing, tenant)
    return 0


async def list_orders(args: argparse.Namespace, billing: Billing) -> int:
    query = Order.all().select_related("tenant").order_by("-id").limit(args.limit)
    if args.tenant:
        query = query.filter(tenant__key=args.tenant)
    if args.status:
        query = query.filter(status=OrderStatus(args.status))
    orders = await query
    if not orders:
        _say("no orders")
    for order in orders:
        _say(order_row(order, order.tenant.key, ZoneInfo(order.tenant.timezone)))
    return 0


async def confirm_order(args: argparse.Namespace, billing: Billing) -> int:
    settlement = await ops.confirm_payment(billing, args.id, _actor(args))
    if settlement is None:
        return _fail(f"no order {args.id}; `scrm-bot order list` shows them")
    if not settlement.applied:
        return _fail(settlement.message)
    order = settlement.order
    _say(f"order {order.id} paid and applied: {order.summary} ({order.total}); admins notified")
    return 0


async def show_revenue(args: argparse.Namespace, billing: Billing) -> int:
    _say(revenue_report(await ops.revenue_now(billing)))
    return 0


def _parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str, work: Work
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    add_config_argument(parser)
    parser.add_argument("--by", help="who is acting, for the audit log")
    parser.set_defaults(func=_command(work))
    return parser


def _subscription_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("subscription", help="show or change a tenant's subscription")
    commands = group.add_subparsers(dest="subscription_command", required=True)
    show = _parser(commands, "show", "show a tenant's plan, period and seats", show_subscription)
    show.add_argument("tenant", help="tenant key")
    change = _parser(commands, "set", "change a plan now, without a charge", set_subscription)
    change.add_argument("tenant", help="tenant key")
    change.add_argument("--edition", help="edition name or code, e.g. 售后服务版")
    change.add_argument("--seats", type=_positive, help="number of seats")
    change.add_argument("--period", help="billing period, e.g. 按月, 按年, month, year")
    change.add_argument("--modules", help="extra modules, comma-separated (replaces the list)")
    change.add_argument("--bundles", help="bundles, comma-separated (replaces the list)")
    change.add_argument(
        "--activate-on", type=date.fromisoformat, help="start a paid period on YYYY-MM-DD"
    )
    extend = _parser(commands, "extend", "add paid periods or days", extend_subscription)
    extend.add_argument("tenant", help="tenant key")
    length = extend.add_mutually_exclusive_group()
    length.add_argument("--periods", type=_positive, default=1, help="billing periods (default 1)")
    length.add_argument("--days", type=_positive, help="days instead of periods (goodwill)")


def add_billing_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`subscription`, `order` and `revenue`, added to the `scrm-bot` parser."""
    _subscription_parsers(sub)
    group = sub.add_parser("order", help="list orders or confirm a payment")
    commands = group.add_subparsers(dest="order_command", required=True)
    listing = _parser(commands, "list", "list recent orders", list_orders)
    listing.add_argument("--tenant", help="only this tenant's orders")
    listing.add_argument("--status", choices=[s.value for s in OrderStatus])
    listing.add_argument("--limit", type=int, default=50)
    confirm = _parser(commands, "confirm", "payment arrived: apply the order", confirm_order)
    confirm.add_argument("id", type=int, help="order number")
    _parser(sub, "revenue", "MRR by edition and module; subscriptions expiring soon", show_revenue)
