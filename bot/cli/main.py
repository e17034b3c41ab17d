"""The `scrm-bot` command. Each subcommand has --help; config errors exit with code 2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from aiohttp import web
from aiohttp.log import access_logger as web_log_access

from bot import logs
from bot.cli.admin import add_audit_parsers
from bot.cli.billing import add_billing_parsers
from bot.cli.calls import add_calls_parsers
from bot.cli.common import add_config_argument, settings_of, with_database
from bot.cli.customers import add_sync_parsers
from bot.cli.erp import add_erp_parsers
from bot.cli.knowledge import add_kb_parsers
from bot.cli.orders import add_orders_parsers
from bot.cli.provider import add_provider_parsers
from bot.config import ConfigError, Settings, TenantSettings, parse_settings

EXIT_CONFIG = 2


def _settings(args: argparse.Namespace) -> Settings:
    return settings_of(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import create_app
    from bot.heap import freeze_startup_heap
    from bot.http_limits import server_options

    settings = _settings(args)
    logs.configure(settings.logging.format, logging.getLogger().level)
    app = create_app(settings)
    app.on_startup.append(freeze_startup_heap)
    web.run_app(
        app,
        host=settings.server.host,
        port=settings.server.port,
        **server_options(),
        # A line per WeCom callback costs about a fifth of the time it takes to acknowledge
        # one, and refusals are logged anyway: off unless asked for.
        access_log=web_log_access if args.access_log else None,
        print=lambda _: print(
            f"scrm-bot listening on http://{settings.server.host}:{settings.server.port} "
            f"(callbacks: {settings.server.public_base_url}/wecom/<tenant>/app)"
        ),
    )
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from bot.embedded import simulated_tenants
    from bot.wecom_sim.simulator import create_simulator_app

    settings = _settings(args)
    port = settings.simulator.port
    web.run_app(
        create_simulator_app(simulated_tenants(settings)),
        host="127.0.0.1",  # the control API has no authentication: loopback only
        port=port,
        print=lambda _: print(
            f"WeCom simulator on http://127.0.0.1:{port} for tenants "
            f"{', '.join(t.key for t in settings.tenants)}; set [wecom] api_base to this URL"
        ),
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db import apply_migrations

    settings = _settings(args)
    asyncio.run(apply_migrations(settings.database.url))
    print(f"database is up to date: {settings.database.url.split('@')[-1]}")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.cli.console import run_console

    settings = _settings(args)
    tenant = args.tenant or (settings.tenants[0].key if settings.tenants else "")
    url = args.simulator or f"http://127.0.0.1:{settings.simulator.port}"
    return asyncio.run(run_console(url, tenant, args.user))


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo.tour import run_demo

    interactive = False if args.no_interactive else None
    asyncio.run(run_demo(Path(args.db), interactive=interactive))
    return 0


def _tenant_from_args(args: argparse.Namespace) -> TenantSettings:
    raw = {
        "key": args.key,
        "corp_id": args.corp_id,
        "name": args.name or args.key,
        "timezone": args.timezone,
        "admins": args.admin or [],
        "app": {
            "agent_id": args.agent_id,
            "secret": args.secret,
            "token": args.token,
            "encoding_aes_key": args.aes_key,
        },
    }
    return parse_settings({"tenants": [raw]}, os.environ).tenants[0]


def cmd_tenant_add(args: argparse.Namespace) -> int:
    from bot.tenants import upsert_tenant

    settings = _settings(args)
    tenant = _tenant_from_args(args)
    with_database(settings, lambda: upsert_tenant(tenant))
    print(
        f"tenant {tenant.key} saved; callback URL: "
        f"{settings.server.public_base_url}/wecom/{tenant.key}/app"
    )
    return 0


def cmd_tenant_list(args: argparse.Namespace) -> int:
    from models.tenants import Tenant

    async def rows() -> list[Tenant]:
        return await Tenant.all().order_by("key")

    tenants = with_database(_settings(args), rows)
    if not tenants:
        print("no tenants yet: add one to config.toml or run `scrm-bot tenant add`")
    for t in tenants:
        admins = ", ".join(t.admins) or "-"
        print(f"{t.key}\t{t.corp_id}\t{t.name}\tagent {t.agent_id}\tadmins: {admins}")
    return 0


def _add_tenant_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tenant = sub.add_parser("tenant", help="manage tenants (enterprises) in the database")
    tenant_sub = tenant.add_subparsers(dest="tenant_command", required=True)
    add = tenant_sub.add_parser("add", help="add or update a tenant")
    add_config_argument(add)
    add.add_argument("--key", required=True, help="short key used in the callback URL")
    add.add_argument("--corp-id", required=True, help="the enterprise's CorpID")
    add.add_argument("--name", help="display name")
    add.add_argument("--timezone", default="Asia/Shanghai")
    add.add_argument("--admin", action="append", help="admin userid (repeatable)")
    add.add_argument("--agent-id", type=int, required=True, help="the self-built app's AgentId")
    add.add_argument("--secret", required=True, help="the app's Secret")
    add.add_argument("--token", required=True, help="the callback Token")
    add.add_argument("--aes-key", required=True, help="the callback EncodingAESKey")
    add.set_defaults(func=cmd_tenant_add)
    listing = tenant_sub.add_parser("list", help="list tenants")
    add_config_argument(listing)
    listing.set_defaults(func=cmd_tenant_list)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scrm-bot", description="SCRM bot for WeCom (企业微信)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    commands: list[tuple[str, str, Callable[[argparse.Namespace], int]]] = [
        ("serve", "run the bot's HTTP server (WeCom callbacks, scheduler)", cmd_serve),
        ("simulate", "run the WeCom simulator for the configured tenants", cmd_simulate),
        ("migrate", "apply database migrations", cmd_migrate),
    ]
    for name, help_text, func in commands:
        command = sub.add_parser(name, help=help_text, description=help_text)
        add_config_argument(command)
        command.set_defaults(func=func)
        if name == "serve":
            command.add_argument(
                "--access-log", action="store_true", help="log every HTTP request (aiohttp.access)"
            )
    console = sub.add_parser("console", help="chat with the bot as an employee via the simulator")
    add_config_argument(console)
    console.add_argument("--tenant", help="tenant key (default: the first in the config)")
    console.add_argument("--user", default="zhangsan", help="WeCom userid to chat as")
    console.add_argument("--simulator", help="simulator URL (default: from [simulator] port)")
    console.set_defaults(func=cmd_console)
    demo = sub.add_parser("demo", help="bot + simulator in one process: a scripted tour")
    demo.add_argument("--db", default="data/demo.db", help="SQLite file for the demo")
    demo.add_argument(
        "--no-interactive", action="store_true", help="skip the console after the tour"
    )
    demo.set_defaults(func=cmd_demo)
    _add_tenant_parsers(sub)
    add_billing_parsers(sub)
    add_sync_parsers(sub)
    add_audit_parsers(sub)
    add_kb_parsers(sub)
    add_orders_parsers(sub)
    add_calls_parsers(sub)
    add_erp_parsers(sub)
    add_provider_parsers(sub)
    return parser


def _default_level(command: str) -> int:
    # Servers log what they do; one-shot commands and the chat views stay quiet.
    return logging.INFO if command in ("serve", "simulate") else logging.WARNING


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.configure("text", logging.DEBUG if args.verbose else _default_level(args.command))
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
