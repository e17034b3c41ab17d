"""`scrm-bot calls secret TENANT`: the key a telephony platform signs call webhooks with.

Shows the tenant's secret, making one the first time; ``--new`` replaces it (the old one
stops working at once). The platform then posts to ``/calls/TENANT`` as the README shows.
"""

from __future__ import annotations

import argparse
import secrets
import sys

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.clock import Clock, SystemClock
from models.calls import CallSettings
from models.tenants import Tenant

SHOWN = "webhook secret of {key}: {secret}\nPOST calls to /calls/{key} (see README, 呼叫中心)"
UNKNOWN = "no tenant {key!r} (check [[tenants]] in the config)"


async def webhook_secret(key: str, renew: bool, clock: Clock) -> int:
    """Prints the secret; the exit code is 1 for an unknown tenant."""
    tenant = await Tenant.get_or_none(key=key)
    if tenant is None:
        print(UNKNOWN.format(key=key), file=sys.stderr)
        return 1
    found, _ = await CallSettings.get_or_create(
        tenant_id=tenant.id, defaults={"updated_at": clock.now()}
    )
    if renew or not found.webhook_secret:
        found.webhook_secret = secrets.token_urlsafe(32)
        found.updated_at = clock.now()
        await found.save()
    print(SHOWN.format(key=key, secret=found.webhook_secret))
    return 0


def cmd_calls_secret(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    key, renew = args.tenant, args.new
    return with_database(settings, lambda: webhook_secret(key, renew, SystemClock()))


def add_calls_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calls = sub.add_parser("calls", help="the call center module (呼叫中心)")
    calls_sub = calls.add_subparsers(dest="calls_command", required=True)
    help_text = "show (or make) the secret that signs a tenant's call webhooks"
    secret = calls_sub.add_parser("secret", help=help_text, description=help_text)
    add_config_argument(secret)
    secret.add_argument("tenant", help="tenant key")
    secret.add_argument("--new", action="store_true", help="replace the secret")
    secret.set_defaults(func=cmd_calls_secret)
