"""Config: every key validated with its path; secrets from the environment; exit code 2."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.config import ConfigError, load_settings, parse_settings
from tests.conftest import TEST_CONFIG


def config(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(TEST_CONFIG)
    for path, value in changes.items():
        target = raw
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
        target[last] = value
    return raw


def test_example_config_loads_with_every_documented_key() -> None:
    settings = load_settings(Path("config.example.toml"))
    assert settings.server.port == 8080
    assert settings.server.public_base_url == "http://127.0.0.1:8080"
    assert settings.database.url == "sqlite://data/scrm.db"
    assert settings.wecom.api_base == "https://qyapi.weixin.qq.com"
    assert settings.wecom.replay_window_seconds == 300
    assert settings.simulator.port == 9010
    [demo] = settings.tenants
    assert (demo.key, demo.timezone, demo.admins) == ("demo", "Asia/Shanghai", ("zhangsan",))
    assert demo.app.agent_id == 1000002


def test_defaults_apply_when_sections_are_absent() -> None:
    settings = parse_settings({})
    assert settings.server.host == "127.0.0.1"
    assert settings.tenants == ()


@pytest.mark.parametrize(
    ("changes", "path", "expected"),
    [
        ({"server": {"port": "8080"}}, "server.port", "a TCP port number"),
        ({"server": {"port": 70000}}, "server.port", "between 1 and 65535"),
        ({"server": {"port": True}}, "server.port", "a TCP port number"),
        ({"database": {"url": "mysql://x"}}, "database.url", "sqlite://"),
        ({"wecom": {"replay_window_seconds": -1}}, "wecom.replay_window_seconds", "0 or more"),
        ({"wecom": {"api_base": "qyapi.weixin.qq.com"}}, "wecom.api_base", "http://"),
        ({"tenants__0__key": "Bad Key"}, "tenants[0].key", "lower-case"),
        ({"tenants__0__timezone": "Mars/Base"}, "tenants[0].timezone", "IANA timezone"),
        ({"tenants__0__app__agent_id": "1000002"}, "tenants[0].app.agent_id", "AgentId"),
        ({"tenants__0__app__encoding_aes_key": "short"}, "tenants[0].app.encoding_aes_key", "43"),
        ({"tenants__0__admins": ["ok", 3]}, "tenants[0].admins", "userid"),
        ({"tenants__1__key": "acme"}, "tenants[1].key", "unique"),
    ],
)
def test_invalid_values_name_the_key_and_what_was_expected(
    changes: dict[str, Any], path: str, expected: str
) -> None:
    raw = config(**{k: v for k, v in changes.items() if "__" in k})
    for section, values in changes.items():
        if "__" not in section:
            raw[section] = values
    with pytest.raises(ConfigError) as caught:
        parse_settings(raw)
    assert caught.value.path == path
    assert expected in caught.value.expected


def test_missing_required_keys_are_named() -> None:
    raw = config()
    del raw["tenants"][0]["app"]["secret"]
    with pytest.raises(ConfigError, match=r"tenants\[0\]\.app\.secret: expected .*missing"):
        parse_settings(raw)
    del raw["tenants"][0]["app"]
    with pytest.raises(ConfigError, match=r"tenants\[0\]\.app: expected a table"):
        parse_settings(raw)


def test_secrets_come_from_the_environment() -> None:
    raw = config()
    del raw["tenants"][0]["app"]["secret"]
    env = {
        "SCRM_TENANT_ACME_SECRET": "from-env",
        "SCRM_TENANT_ACME_TOKEN": "env-token",
        "SCRM_DATABASE_URL": "postgres://u:p@db:5432/scrm",
    }
    settings = parse_settings(raw, env)
    assert settings.tenants[0].app.secret == "from-env"
    assert settings.tenants[0].app.token == "env-token"
    assert settings.database.url == "postgres://u:p@db:5432/scrm"


def test_secrets_stay_out_of_repr() -> None:
    settings = parse_settings(config())
    assert "acme-secret" not in repr(settings)
    assert "123456" not in repr(settings.tenants[0].app)


def test_cli_exits_2_with_the_key_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[server]\nport = "eighty"\n', encoding="utf-8")
    assert main(["migrate", "-c", str(bad)]) == 2
    assert "server.port: expected a TCP port number" in capsys.readouterr().err


def test_cli_names_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "-c", str(tmp_path / "nope.toml")]) == 2
    assert "copy config.example.toml" in capsys.readouterr().err


def test_cli_reports_broken_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[server\n", encoding="utf-8")
    assert main(["serve", "-c", str(bad)]) == 2
    assert "valid TOML" in capsys.readouterr().err
