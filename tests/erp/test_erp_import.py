"""`scrm-bot erp import products TENANT FILE`: products from CSV in UTF-8 (with the BOM Excel
writes) or GB18030, with Chinese or English headers; rejected lines reported by line number
while the others are imported; existing products updated by name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.erp import import_tenant_products
from bot.cli.main import build_parser
from bot.clock import FrozenClock
from bot.config import Settings
from bot.tenants import TenantInfo
from models.products import Product

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CHINESE = (
    "名称,单位,条码,售价,进价,预警\n"
    "A4纸,箱,6901234567890,25,18,10\n"
    "订书机,个,,9.5,,\n"
    "\n"
    ",箱,,5,,\n"
    "回形针,盒,,两块钱左右,,\n"
    "胶带,卷,,,3,\n"
    "便利贴,本,,4,2.5,十\n"
)


async def products() -> dict[str, tuple[str, int, int | None, int | None, str | None]]:
    return {
        p.name: (p.unit, p.sale_price_fen, p.purchase_price_fen, p.min_qty, p.barcode)
        for p in await Product.filter(tenant_id=1)
    }


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False)]
)
async def test_chinese_headers_in_either_encoding_with_a_line_numbered_report(
    settings: Settings,
    tenant: TenantInfo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
    bom: bool,
) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + CHINESE.encode(encoding))
    assert await import_tenant_products(settings, "acme", path, FrozenClock(NOW)) == 2
    out = capsys.readouterr()
    assert out.out == f"products from {path} into acme: 3 added, 0 updated, 3 rejected\n"
    assert out.err.splitlines() == [
        "  line 5: 名称是空的",
        "  line 6: 没看懂金额「两块钱左右」，请写数字，例如 25、25.5。",
        "  line 7: 新商品要写售价，例如：新增商品 胶带 单位箱 售价25",
    ]
    assert await products() == {
        "A4纸": ("箱", 2500, 1800, 10, "6901234567890"),
        "订书机": ("个", 950, None, None, None),
        "便利贴": ("本", 400, 250, 10, None),
    }


async def test_english_headers_update_existing_products_by_name(
    settings: Settings, tenant: TenantInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("Name,Unit,Price\nA4纸,箱,25\n", encoding="utf-8")
    assert await import_tenant_products(settings, "acme", first, FrozenClock(NOW)) == 0
    again = tmp_path / "again.csv"
    again.write_text("name,cost,min_qty,Extra\nA4纸,17.5,8,ignored\n新品,,,\n", encoding="utf-8")
    assert await import_tenant_products(settings, "acme", again, FrozenClock(NOW)) == 2
    out = capsys.readouterr()
    assert out.out.splitlines()[-1].endswith("into acme: 0 added, 1 updated, 1 rejected")
    assert out.err == "  line 3: 新商品要写售价，例如：新增商品 新品 单位箱 售价25\n"
    assert (await products())["A4纸"] == ("箱", 2500, 1750, 8, None)


async def test_an_unreadable_file_or_tenant_is_refused(
    settings: Settings, tenant: TenantInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headless = tmp_path / "headless.csv"
    headless.write_text("A4纸,箱,25\n", encoding="utf-8")
    assert await import_tenant_products(settings, "acme", headless, FrozenClock(NOW)) == 1
    assert "the first row must name the columns" in capsys.readouterr().err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x30")
    assert await import_tenant_products(settings, "acme", binary, FrozenClock(NOW)) == 1
    assert "not UTF-8 or GB18030" in capsys.readouterr().err
    assert await import_tenant_products(settings, "nope", binary, FrozenClock(NOW)) == 1
    assert await Product.filter(tenant_id=1).count() == 0


def test_the_import_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["erp", "import", "products", "--help"])
    assert done.value.code == 0
    assert "usage: scrm-bot erp import products" in capsys.readouterr().out
