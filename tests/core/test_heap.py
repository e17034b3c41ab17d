"""A serving process freezes the heap its startup built, after every other startup step."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.cli import main as cli
from bot.heap import freeze_startup_heap


async def test_freezing_moves_what_is_alive_out_of_the_collectors_reach() -> None:
    kept = [object() for _ in range(10)]
    assert gc.get_freeze_count() == 0
    try:
        await freeze_startup_heap(web.Application())
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_serve_freezes_after_the_apps_own_startup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[web.Application] = []

    def run_app(app: web.Application, **_: Any) -> None:
        served.append(app)

    monkeypatch.setattr(cli.web, "run_app", run_app)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite://{tmp_path}/bot.db"\n', encoding="utf-8")
    assert cli.main(["serve", "--config", str(config)]) == 0
    [app] = served
    assert len(app.on_startup) > 1  # the app's own steps come first
    assert app.on_startup[-1] is freeze_startup_heap
