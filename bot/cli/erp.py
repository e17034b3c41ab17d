"""`scrm-bot erp check TENANT`: recompute every stock balance of a tenant from its ledger and
report any difference (the same check as 库存核对 in chat). Exit code 0 when everything
agrees, 2 when something does not, 1 for an unknown tenant. Read-only: safe while the bot
serves."""

from __future__ import annotations

import argparse

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.tenant_sync import NO_TENANT, say
from bot.config import Settings
from bot.erp.check import check_stock
from bot.tenants import TenantDirectory, sync_tenants

OK = "stock of {key}: {balances} balances and {moves} ledger rows agree"
BAD = "stock of {key}: {count} problems in {balances} balances and {moves} ledger rows"
MISMATCH = (
    "  {product} @ {warehouse}: on hand {on_hand}, ledger sum {total}, last balance after {last}"
)
BROKEN = "  {count} ledger rows whose balance after is not the running sum (first ids: {ids})"
NEGATIVE = "  {count} balances below zero"
EXIT_MISMATCH = 2


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
    problems = len(report.mismatches) + report.broken_moves + report.negative
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
    say("\n".join(lines))
    return EXIT_MISMATCH


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
