"""`scrm-bot audit export` as an operator runs it, against a SQLite file."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import build_parser, main
from models.admin import AuditEntry, AuditResult
from models.tenants import Tenant
from tests.core.test_cli import write_config
from tests.subscription.test_cli_billing import AES_KEY, in_database


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    assert main(["migrate", "-c", str(path)]) == 0
    added = main(
        ["tenant", "add", "-c", str(path), "--key", "huaxia", "--corp-id", "wwhuaxia01"]
        + ["--agent-id", "1000005", "--secret", "s", "--token", "t", "--aes-key", AES_KEY]
    )
    assert added == 0

    async def log() -> None:
        tenant = await Tenant.get(key="huaxia")
        for day, command, result, summary in (
            (20, "设为管理员 lisi", AuditResult.OK, "已把 lisi 设为管理员。"),
            (22, "成员", AuditResult.REFUSED, "仅管理员可用"),
            (23, "设置 提醒时间 8点", AuditResult.OK, "已设置：每个工作日 08:00"),
        ):
            await AuditEntry.create(
                tenant_id=tenant.id,
                userid="zhangsan" if result is AuditResult.OK else "wangwu",
                channel="aibot",
                chat_type="group",
                chat_id="wrk_group",
                command=command,
                result=result,
                summary=summary,
                created_at=datetime(2026, 11, day, 2, 0, tzinfo=UTC),
            )

    in_database(path, log)
    return path


def test_export_as_jsonl_since_a_day(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["audit", "export", "huaxia", "--since", "2026-11-21", "--format", "jsonl"]
        + [
            "-c",
            str(config),
        ]
    )
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {
            "time": "2026-11-22T02:00:00+00:00",
            "userid": "wangwu",
            "channel": "aibot",
            "chat_type": "group",
            "chat_id": "wrk_group",
            "command": "成员",
            "result": "refused",
            "summary": "仅管理员可用",
        },
        {
            "time": "2026-11-23T02:00:00+00:00",
            "userid": "zhangsan",
            "channel": "aibot",
            "chat_type": "group",
            "chat_id": "wrk_group",
            "command": "设置 提醒时间 8点",
            "result": "ok",
            "summary": "已设置：每个工作日 08:00",
        },
    ]


def test_export_as_csv_by_default(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "export", "huaxia", "-c", str(config)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["time"][:10], r["command"], r["result"]) for r in rows] == [
        ("2026-11-20", "设为管理员 lisi", "ok"),
        ("2026-11-22", "成员", "refused"),
        ("2026-11-23", "设置 提醒时间 8点", "ok"),
    ]


def test_unknown_tenant_and_bad_dates_are_refused(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "export", "nobody", "-c", str(config)]) == 1
    assert "no tenant 'nobody'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        main(["audit", "export", "huaxia", "--since", "yesterday", "-c", str(config)])
    assert bad.value.code == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().err


def test_audit_export_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["audit", "export", "--help"])
    assert done.value.code == 0
    assert "--format {csv,jsonl}" in capsys.readouterr().out
