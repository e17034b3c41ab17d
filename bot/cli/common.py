"""What the CLI's commands share: the ``-c/--config`` option, loading the settings, and
running a piece of work with the database open."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from bot.config import Settings, load_settings

DEFAULT_CONFIG = "config.toml"
T = TypeVar("T")


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        default=DEFAULT_CONFIG,
        help=f"path to the TOML config (default: {DEFAULT_CONFIG})",
    )


def settings_of(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config), os.environ)


def with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` with the configured database open, and close it whatever happens (the
    connection's thread would otherwise keep the process alive)."""
    from bot.db import close_database, open_database

    async def main() -> T:
        await open_database(settings.database.url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(main())
