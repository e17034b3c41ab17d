"""`scrm-bot audit export TENANT [--since DATE] [--format csv|jsonl]`: the admin audit log, for
a spreadsheet or a log pipeline. Times are UTC, ISO 8601; rows oldest first, to stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from bot.admin.audit import EXPORT_FIELDS, export_row, since
from bot.cli.common import add_config_argument, settings_of, with_database
from models.tenants import Tenant

NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"
FORMATS = ("csv", "jsonl")


def _since(text: str) -> datetime:
    """A day (midnight UTC) or a full ISO timestamp."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: Any) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


async def export(key: str, start: datetime | None, fmt: str) -> int:
    tenant = await Tenant.get_or_none(key=key)
    if tenant is None:
        sys.stderr.write(NO_TENANT.format(key=key) + "\n")
        return 1
    entries = await since(tenant.id, start)
    write_rows((export_row(entry) for entry in entries), fmt, sys.stdout)
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    return with_database(settings, lambda: export(args.tenant, args.since, args.format))


def add_audit_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`audit export`, added to the `scrm-bot` parser."""
    group = sub.add_parser("audit", help="the audit log of admin commands")
    commands = group.add_subparsers(dest="audit_command", required=True)
    help_text = "export a tenant's admin audit log to stdout"
    export_parser = commands.add_parser("export", help=help_text, description=help_text)
    export_parser.add_argument("tenant", help="tenant key")
    export_parser.add_argument("--since", type=_since, help="only entries from YYYY-MM-DD (UTC)")
    export_parser.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    add_config_argument(export_parser)
    export_parser.set_defaults(func=cmd_audit_export)
