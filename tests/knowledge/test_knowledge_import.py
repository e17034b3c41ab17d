"""`scrm-bot kb import`: CSV and Markdown files, upserts by question, per-line errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.knowledge import EXAMPLE_CSV, EXAMPLE_MD

from bot.cli.knowledge import cmd_kb_import, import_file
from bot.cli.main import build_parser
from bot.clock import FrozenClock
from bot.config import Settings
from bot.knowledge.importing import parse_file, parse_markdown
from bot.tenants import TenantInfo
from models.knowledge import Article, KnowledgeRevision, UnansweredQuestion


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def questions(tenant: TenantInfo) -> list[tuple[int, str, str]]:
    rows = await Article.filter(tenant_id=tenant.id).order_by("number")
    return [(a.number, a.question, a.category) for a in rows]


def test_the_command_is_wired_into_the_cli() -> None:
    args = build_parser().parse_args(["kb", "import", "acme", "faq.csv"])
    assert (args.func, args.tenant, args.file) == (cmd_kb_import, "acme", "faq.csv")


async def test_the_example_csv_imports_cleanly(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await import_file(settings, "acme", EXAMPLE_CSV, clock) == 0
    out = capsys.readouterr()
    assert out.out == f"imported {EXAMPLE_CSV} into acme: 6 added, 0 updated, 0 unchanged\n"
    assert out.err == ""
    assert (await questions(tenant))[:2] == [
        (1, "打印机卡纸怎么办", "打印机"),
        (2, "如何更换硒鼓", "打印机"),
    ]
    first = await Article.get(tenant_id=tenant.id, number=1)
    assert (first.keywords, first.created_by) == ("卡纸、夹纸、搓纸轮", "import")
    assert first.created_at == first.updated_at == clock.now()
    assert await KnowledgeRevision.filter(tenant_id=tenant.id).count() == 1


async def test_importing_again_updates_by_question_and_reports_bad_lines(
    settings: Settings,
    clock: FrozenClock,
    tenant: TenantInfo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await import_file(settings, "acme", EXAMPLE_CSV, clock)
    stamp = (await KnowledgeRevision.get(tenant_id=tenant.id)).stamp
    capsys.readouterr()
    changed = write(
        tmp_path,
        "faq.csv",
        "\ufeff问题,答案,关键词,分类\n"
        "打印机卡纸怎么办,直接报修。,卡纸,打印机\n"  # changed answer: updated
        "如何更换硒鼓,没有答案的一行,,\n"  # differs: updated too
        ",缺了问题,,\n"  # line 4: skipped
        "复印机缺粉怎么办,换墨粉盒。,缺粉,复印机\n"  # new
        "复印机缺粉怎么办,又写了一遍。,,\n",  # line 6: the same question again
    )
    assert await import_file(settings, "acme", changed, clock) == 1
    out = capsys.readouterr()
    assert out.out == f"imported {changed} into acme: 1 added, 2 updated, 0 unchanged\n"
    assert out.err.splitlines() == [
        "2 rows skipped:",
        "  line 4: the question or the answer is empty",
        "  line 6: the same question as line 5",
    ]
    assert (await Article.get(tenant_id=tenant.id, number=1)).answer == "直接报修。"
    assert (await questions(tenant))[-1] == (7, "复印机缺粉怎么办", "复印机")
    assert (await KnowledgeRevision.get(tenant_id=tenant.id)).stamp != stamp


async def test_an_unchanged_file_changes_nothing(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    await import_file(settings, "acme", EXAMPLE_CSV, clock)
    stamp = (await KnowledgeRevision.get(tenant_id=tenant.id)).stamp
    assert await import_file(settings, "acme", EXAMPLE_CSV, clock) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("0 added, 0 updated, 6 unchanged")
    assert (await KnowledgeRevision.get(tenant_id=tenant.id)).stamp == stamp


async def test_the_example_markdown_imports_with_categories_and_keywords(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await import_file(settings, "acme", EXAMPLE_MD, clock) == 0
    assert capsys.readouterr().out.endswith("3 added, 0 updated, 0 unchanged\n")
    assert await questions(tenant) == [
        (1, "电脑找不到打印机", "打印机"),
        (2, "打印速度变慢", "打印机"),
        (3, "怎么预约上门维修", "售后服务"),
    ]
    first = await Article.get(tenant_id=tenant.id, number=1)
    assert first.answer == (
        "检查打印机与电脑是否在同一网络，在打印机面板打印网络配置页确认 IP 地址，\n"
        "然后在电脑的“设备和打印机”里按 IP 添加。"
    )
    assert first.keywords == "驱动、连接、网络打印"


async def test_markdown_reports_an_article_without_an_answer_and_stray_text(
    settings: Settings,
    clock: FrozenClock,
    tenant: TenantInfo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(
        tmp_path,
        "faq.md",
        "这一行不属于任何问题\n"
        "## 复印机缺粉怎么办\n"
        "换墨粉盒。\n"
        "分类：复印机\n"
        "## 只有问题\n"
        "\n"
        "## " + "长" * 300 + "\n"
        "答案。\n",
    )
    assert await import_file(settings, "acme", path, clock) == 1
    out = capsys.readouterr()
    assert out.out.endswith("1 added, 0 updated, 0 unchanged\n")
    assert out.err.splitlines() == [
        "3 rows skipped:",
        "  line 1: text outside an article (start one with ## )",
        "  line 5: 「只有问题」 has no answer",
        "  line 7: 问题太长了（最多 255 个字）。",
    ]
    assert await questions(tenant) == [(1, "复印机缺粉怎么办", "复印机")]


async def test_an_imported_question_leaves_the_unanswered_list(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    await UnansweredQuestion.create(
        tenant_id=tenant.id,
        normalized="打印机卡纸怎么办",
        channel="kf",
        first_asked_at=now,
        last_asked_at=now,
    )
    await import_file(settings, "acme", EXAMPLE_CSV, clock)
    assert await UnansweredQuestion.all().count() == 0


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("faq.csv", "q,a\n1,2\n", "the first row must name the columns question and answer"),
        ("faq.txt", "问题\n", "expected a .csv or .md file"),
    ],
)
async def test_a_file_that_cannot_be_read_is_refused(
    settings: Settings,
    clock: FrozenClock,
    tenant: TenantInfo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    error: str,
) -> None:
    path = write(tmp_path, name, text)
    assert await import_file(settings, "acme", path, clock) == 1
    assert error in capsys.readouterr().err
    assert await Article.all().count() == 0


async def test_an_unknown_tenant_is_refused(
    settings: Settings, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await import_file(settings, "nobody", EXAMPLE_CSV, clock) == 1
    assert "no tenant 'nobody'" in capsys.readouterr().err


def test_gb18030_csv_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_bytes("问题,答案\n打印机卡纸,取出卡纸\n".encode("gb18030"))
    [row] = parse_file(path).rows
    assert (row.fields.question, row.fields.answer) == ("打印机卡纸", "取出卡纸")


def test_markdown_keeps_paragraphs_of_an_answer() -> None:
    parsed = parse_markdown("## 问\n第一段\n\n第二段\n关键词：a、b\n")
    [row] = parsed.rows
    assert (row.fields.answer, row.fields.keywords) == ("第一段\n\n第二段", "a、b")
