"""The ``[provider]`` table: its default, and a wrong value stopping start-up with its path."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, parse_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def example() -> dict[str, object]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_the_example_config_keeps_events_180_days() -> None:
    assert parse_settings(example()).provider.usage_retention_days == 180
    raw = example()
    del raw["provider"]
    assert parse_settings(raw).provider.usage_retention_days == 180


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"usage_retention_days": 0}, "provider.usage_retention_days"),
        ({"usage_retention_days": "90"}, "provider.usage_retention_days"),
        ({"usage_retention_days": True}, "provider.usage_retention_days"),
        ({"retention": 90}, "provider.retention"),
    ],
)
def test_a_wrong_value_names_its_key(value: dict[str, object], path: str) -> None:
    raw = example()
    raw["provider"] = value
    with pytest.raises(ConfigError, match=path.replace(".", r"\.")):
        parse_settings(raw)
