"""`scrm-bot kb import TENANT FILE`: load knowledge-base articles from CSV or Markdown.

Articles are matched by question: a new question is added, a known one gets the file's answer,
keywords and category. The file formats are described in ``bot.knowledge.importing``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tortoise.transactions import in_transaction

from bot.cli.common import add_config_argument, settings_of, with_database
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.knowledge.importing import ImportFileError, ImportReport, parse_file, upsert_articles
from bot.tenants import TenantDirectory, sync_tenants

NO_TENANT = "no tenant {key!r}; `scrm-bot tenant list` shows them"
DONE = "imported {file} into {key}: {added} added, {updated} updated, {unchanged} unchanged"
SKIPPED = "{count} rows skipped:"


def _say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


async def import_file(settings: Settings, key: str, path: Path, clock: Clock) -> int:
    """The command's work, with the database already open. Returns the exit code: 0, or 1
    when the file could not be read or some of its rows were skipped."""
    await sync_tenants(settings.tenants)
    tenant = await TenantDirectory().get(key)
    if tenant is None:
        _say(NO_TENANT.format(key=key), error=True)
        return 1
    try:
        parsed = parse_file(path)
    except (ImportFileError, OSError) as exc:
        _say(f"cannot import {path}: {exc}", error=True)
        return 1
    async with in_transaction():
        report = await upsert_articles(tenant.id, parsed.rows, clock.now())
    report.errors[:0] = parsed.errors
    _report(path, key, report)
    return 1 if report.errors else 0


def _report(path: Path, key: str, report: ImportReport) -> None:
    _say(
        DONE.format(
            file=path,
            key=key,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    )
    if report.errors:
        _say(SKIPPED.format(count=len(report.errors)), error=True)
        for line in sorted(report.errors, key=_line_number):
            _say(f"  {line}", error=True)


def _line_number(error: str) -> int:
    number = error.removeprefix("line ").split(":", 1)[0]
    return int(number) if number.isdigit() else 0


def cmd_kb_import(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    path, clock = Path(args.file), SystemClock()
    return with_database(settings, lambda: import_file(settings, args.tenant, path, clock))


def add_kb_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = sub.add_parser("kb", help="the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    help_text = "add or update articles from a CSV or Markdown file (matched by question)"
    load = kb_sub.add_parser("import", help=help_text, description=help_text)
    add_config_argument(load)
    load.add_argument("tenant", help="tenant key")
    load.add_argument(
        "file",
        help="a .csv (columns question, answer, keywords, category or 问题, 答案, 关键词, 分类) "
        "or a .md file (## question, the answer below)",
    )
    load.set_defaults(func=cmd_kb_import)
