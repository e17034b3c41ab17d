"""Log lines: text or JSON (``[logging] format``), each naming the tenant and update being
handled when there is one."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.config import ConfigError, parse_settings
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.logs import TEXT_FORMAT, HandlingFilter, JsonFormatter, handling
from tests.core.test_callback_transport import Wire, start_bot, text_message  # noqa: F401


def logged(formatter: logging.Formatter, emit: Callable[[logging.Logger], None]) -> list[str]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(HandlingFilter())
    handler.setFormatter(formatter)
    logger = logging.getLogger("scrm.test.logs")
    logger.addHandler(handler)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue().splitlines()


def test_json_lines_carry_the_tenant_and_update_being_handled() -> None:
    def emit(logger: logging.Logger) -> None:
        with handling("acme", "msg:1001"):
            logger.warning("客户 %s 没找到", "王五")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("outside any update")

    inside, *outside = logged(JsonFormatter(), emit)
    line = json.loads(inside)
    assert {k: line[k] for k in ("level", "logger", "message", "tenant", "update")} == {
        "level": "WARNING",
        "logger": "scrm.test.logs",
        "message": "客户 王五 没找到",
        "tenant": "acme",
        "update": "msg:1001",
    }
    assert line["time"].endswith("+00:00")
    other = json.loads("\n".join(outside))
    assert "tenant" not in other and "ValueError: boom" in other["exception"]


def test_text_lines_name_the_update_too() -> None:
    def emit(logger: logging.Logger) -> None:
        with handling("acme", "msg:7"):
            logger.warning("slow")
        logger.warning("idle")

    inside, outside = logged(logging.Formatter(TEXT_FORMAT), emit)
    assert inside.endswith("scrm.test.logs: [acme msg:7] slow")
    assert outside.endswith("scrm.test.logs: idle")


def test_the_format_is_configured_and_checked() -> None:
    assert parse_settings({"logging": {"format": "json"}}).logging.format == "json"
    assert parse_settings({}).logging.format == "text"
    with pytest.raises(ConfigError, match="logging.format"):
        parse_settings({"logging": {"format": "xml"}})


async def test_a_handler_failure_is_logged_with_its_tenant_and_update(
    start_bot: Callable[..., Awaitable[Wire]],  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = Router("broken")

    async def broken(ctx: Context) -> str:
        raise RuntimeError("handler bug")

    router.message()(broken)
    wire = await start_bot(routers=[router])
    caplog.handler.addFilter(HandlingFilter())
    assert await wire.post(text_message("你好", msg_id=4343)) == (200, "")
    await wire.settle()
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert (failure.__dict__["tenant"], failure.__dict__["update"]) == ("acme", "msg:4343")
