"""`scrm-bot erp check TENANT`: recompute every stock balance of a tenant from its ledger and
report any difference (the same check as 库存核对 in chat). Exit code 0 when everything
agrees, 2 when something does not, 1 for an unknown tenant. Read-only: safe while the bot
serves.

`scrm-bot erp import products TENANT FILE`: products from a CSV file (``bot.erp.importing``),
added or updated by name; rejected lines are listed with their line numbers (exit code 2 when
there were any, 1 when the file could not be read)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.tenant_sync import NO_TENANT, say
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.erp.check import check_stock
from bot.erp.importing import ProductFileError, import_products, read_products_file
from bot.tenants import TenantDirectory, sync_tenants

OK = "stock of {key}: {balances} balances and {moves} ledger rows agree"
BAD = "stock of {key}: {count} problems in {balances} balances and {moves} ledger rows"
MISMATCH = (
    "  {product} @ {warehouse}: on hand {on_hand}, ledger sum {total}, last balance after {last}"
)
BROKEN = "  {count} ledger rows whose balance after is not the running sum (first ids: {ids})"
NEGATIVE = "  {count} balances below zero"
HOLD_MISMATCH = "  {product} @ {warehouse}: reserved {reserved}, orders' reservations hold {held}"
EXIT_MISMATCH = 2
IMPORTED = "products from {file} into {key}: {added} added, {updated} updated, {rejected} rejected"
EXIT_REJECTED = 2


async def check_tenant(settings: Settings, key: str) -> int:
    """The command's work, with the database already open. Returns the exit code."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        say(NO_TENANT.format(key=key), error=True)
        return 1
    report = await check_stock(tenant.id)
    if report.ok:
        say(OK.format(key=key, balances=report.balances, moves=report.moves))
        return 0
    problems = len(report.mismatches) + report.broken_moves + report.negative + len(report.holds)
    lines = [BAD.format(key=key, count=problems, balances=report.balances, moves=report.moves)]
    lines += [
        MISMATCH.format(
            product=m.product,
            warehouse=m.warehouse,
            on_hand="none" if m.on_hand is None else m.on_hand,
            total=m.ledger_sum,
            last="none" if m.last_after is None else m.last_after,
        )
        for m in report.mismatches
    ]
    if report.broken_moves:
        ids = ", ".join(str(i) for i in report.first_broken)
        lines.append(BROKEN.format(count=report.broken_moves, ids=ids))
    if report.negative:
        lines.append(NEGATIVE.format(count=report.negative))
    lines += [
        HOLD_MISMATCH.format(
            product=h.product,
            warehouse=h.warehouse,
            reserved="none" if h.reserved is None else h.reserved,
            held=h.held,
        )
        for h in report.holds
    ]
    say("\n".join(lines))
    return EXIT_MISMATCH


async def import_tenant_products(settings: Settings, key: str, path: Path, clock: Clock) -> int:
    """The import's work, with the database already open. Returns the exit code."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        say(NO_TENANT.format(key=key), error=True)
        return 1
    try:
        text = read_products_file(path)
        report = await import_products(tenant.id, text, clock.now())
    except (ProductFileError, OSError) as exc:
        say(f"cannot import {path}: {exc}", error=True)
        return 1
    say(
        IMPORTED.format(
            file=path,
            key=key,
            added=report.added,
            updated=report.updated,
            rejected=len(report.rejected),
        )
    )
    for line in report.rejected:
        say(f"  {line}", error=True)
    return EXIT_REJECTED if report.rejected else 0


def cmd_erp_import(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    path, clock = Path(args.file), SystemClock()
    return with_database(
        settings, lambda: import_tenant_products(settings, args.tenant, path, clock)
    )


def cmd_erp_check(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    return with_database(settings, lambda: check_tenant(settings, args.tenant))


def add_erp_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erp = sub.add_parser("erp", help="the ERP-lite module (进销存)")
    erp_sub = erp.add_subparsers(dest="erp_command", required=True)
    help_text = "recompute every stock balance from the ledger and report differences"
    check = erp_sub.add_parser("check", help=help_text, description=help_text)
    add_config_argument(check)
    check.add_argument("tenant", help="tenant key")
    check.set_defaults(func=cmd_erp_check)
    help_text = "add or update products from a CSV file (UTF-8 or GB18030)"
    load = erp_sub.add_parser("import", help=help_text, description=help_text)
    what = load.add_subparsers(dest="erp_import", required=True)
    products = what.add_parser("products", help=help_text, description=help_text)
    add_config_argument(products)
    products.add_argument("tenant", help="tenant key")
    products.add_argument(
        "file",
        help="a .csv whose header names name (名称), and any of unit (单位), barcode (条码), "
        "sale_price (售价), purchase_price (进价), min_qty (预警)",
    )
    products.set_defaults(func=cmd_erp_import)
