"""帮助, generated from the registered commands, and the hint for anything not understood."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dispatch.context import Context
from bot.dispatch.filters import MsgTypeIs
from bot.dispatch.router import Route, Router

router = Router(__name__, title="通用")
# Included last (see handlers.ROUTERS): it takes whatever no other route took.
fallback_router = Router(f"{__name__}.fallback", title="通用")

HELP_HEADER = "我能帮你做这些（直接发送命令即可）："
HELP_FOOTER = "命令后面跟上内容即可。跟进提醒的用法发送「跟进帮助」。"
NOT_UNDERSTOOD = "没听懂「{text}」。发送「帮助」查看我能做什么。"
TEXT_ONLY = "我目前只看得懂文字消息。发送「帮助」查看我能做什么。"
ECHO_LIMIT = 20


@router.command("帮助", "help", "菜单", "?", "？")
async def show_help(ctx: Context) -> str:
    """查看我能做什么"""
    return render_help(ctx.routes)


def render_help(routes: Sequence[Route]) -> str:
    sections: dict[str, list[str]] = {}
    for route in routes:
        if not route.commands or not route.help:
            continue
        words = " / ".join(w for w in route.commands if w not in ("?", "？"))
        sections.setdefault(route.router.title or "其他", []).append(f"· {words}：{route.help}")
    lines = [HELP_HEADER]
    for title, entries in sections.items():
        lines.append(f"\n【{title}】")
        lines.extend(entries)
    lines.append(f"\n{HELP_FOOTER}")
    return "\n".join(lines)


@fallback_router.message()
async def not_understood(ctx: Context) -> str:
    text = ctx.update.text.strip()
    if len(text) > ECHO_LIMIT:
        text = text[:ECHO_LIMIT] + "…"
    return NOT_UNDERSTOOD.format(text=text)


@fallback_router.on(MsgTypeIs("image", "voice", "video", "file", "location", "link"))
async def not_text(ctx: Context) -> str:
    return TEXT_ONLY
