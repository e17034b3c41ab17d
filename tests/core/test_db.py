"""Database URLs as tortoise gets them."""

from __future__ import annotations

from bot.db import tortoise_config


def url_of(url: str) -> str:
    return str(tortoise_config(url)["connections"]["default"])


def test_sqlite_skips_the_fsync_per_commit_unless_asked() -> None:
    assert url_of("sqlite://data/scrm.db") == "sqlite://data/scrm.db?synchronous=NORMAL"
    assert (
        url_of("sqlite://data/scrm.db?synchronous=FULL") == "sqlite://data/scrm.db?synchronous=FULL"
    )
    assert url_of("sqlite://:memory:") == "sqlite://:memory:"


def test_postgresql_scheme_is_accepted() -> None:
    assert url_of("postgresql://u:p@db:5432/scrm") == "postgres://u:p@db:5432/scrm"
