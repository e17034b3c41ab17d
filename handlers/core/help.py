"""帮助, generated from the registered commands."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.dispatch.context import Context, RouteInfo
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.outbox import MAX_TEXT_BYTES

router = Router(__name__, title="通用", keeps_steps=True)

HELP_HEADER = "我能帮你做这些（直接发送命令即可）："
FOLLOWUP_HINT = "跟进提醒的用法发送「跟进帮助」。"
HELP_FOOTER = "命令后面跟上内容即可。" + FOLLOWUP_HINT
SECTION_HINT = "发送「帮助 部分名」看每条命令的说明，例如：帮助 {example}"
UNKNOWN_TOPIC = "没有「{topic}」这部分的帮助。可以看：{titles}。"
# How many command words each section shows on the overview, tried in turn (None: all).
OVERVIEW_WORDS = (None, 8, 6, 5, 4, 3, 2, 1, 0)


# 帮助 工单: the help of one part; a sentence after 帮助 is something else.
TOPIC = re.compile(r"^[^\s，,。]{1,12}$")


@router.command(
    "帮助",
    "help",
    "菜单",
    "?",
    "？",
    "使用说明",
    "命令列表",
    "功能列表",
    chats=[ChatType.SINGLE, ChatType.GROUP],
    args_like=TOPIC,
    examples=(
        "帮助",
        "help",
        "菜单",
        "使用说明",
        "都有哪些命令",
        "有什么功能？",
        "把菜单发我",
        "这个系统怎么用",
        "都支持哪些功能",
        "不会用，教我一下",
    ),  # fmt: skip
    phrasings=(
        (r"(?:都|你)?有(?:哪些|什么|啥)(?:命令|功能|指令)[呀啊呢？?]*", "帮助"),
        # how to use it: 这个机器人怎么用, 都支持哪些操作, 不会用，教教我
        (
            r"(?:这个|你这个)?(?:机器人|系统|小助手|助手|工具)(?:要|该)?(?:怎么|咋|如何)(?:用|使用)"
            r"[呀啊呢？?]*",
            "帮助",
        ),
        (r"(?:你)?都?(?:支持|能做|可以做)(?:哪些|什么|啥)(?:操作|功能|事情?)?[呀啊呢？?]*", "帮助"),
        (
            r"(?:我)?(?:不会用|不知道怎么用)(?:[，,]?\s*(?:教教我|教我一下|怎么弄))?[呀啊呢？?]*",
            "帮助",
        ),
        (r"(?:把|发)?(?:菜单|帮助|使用说明|命令列表)(?:发我|发给我|给我)(?:看看|一下)?", "帮助"),
    ),
)
async def show_help(ctx: Context) -> str:
    """查看我能做什么"""
    # Only what this person may run here: in a group, what works in groups; for a member,
    # not the admin commands. The rest would only be refused.
    here = [
        route
        for route in ctx.routes
        if ctx.update.chat_type in route.access.chats and ctx.role in route.access.roles
    ]
    return render_help(here, ctx.args)


def _sections(routes: Sequence[RouteInfo]) -> dict[str, list[tuple[str, str]]]:
    """Section title → (command words, one-line help), in the capabilities' order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for route in routes:
        if not route.commands or not route.help:
            continue
        words = " / ".join(w for w in route.commands if w not in ("?", "？"))
        sections.setdefault(route.title or "其他", []).append((words, route.help))
    return sections


def render_help(routes: Sequence[RouteInfo], topic: str = "") -> str:
    """Every command with its one-line help; past one WeCom message (2,048 bytes) the first
    page lists just the command words per section and ``帮助 <部分>`` gives the details."""
    sections = _sections(routes)
    if topic:
        return _section_page(sections, topic.strip())
    full = _page(HELP_HEADER, sections, HELP_FOOTER)
    if len(full.encode()) <= MAX_TEXT_BYTES:
        return full
    # Still too long with every command's word: each section shows its first few, then how
    # many more 「帮助 部分名」 has, as few as it takes to fit one message.
    for shown in OVERVIEW_WORDS:
        overview = _overview(sections, shown)
        if len(overview.encode()) <= MAX_TEXT_BYTES:
            break
    return overview


def _overview(sections: dict[str, list[tuple[str, str]]], shown: int | None) -> str:
    lines = [HELP_HEADER]
    for title, entries in sections.items():
        words = [words.split(" / ")[0] for words, _ in entries]
        more = f" 等{len(words)}条" if shown is not None and len(words) > shown else ""
        lines.append(f"【{title}】" + "、".join(words[:shown]) + more)
    lines.append(f"\n{SECTION_HINT.format(example=next(reversed(sections)))}")
    lines.append(FOLLOWUP_HINT)
    return "\n".join(lines)


def _page(header: str, sections: dict[str, list[tuple[str, str]]], footer: str) -> str:
    lines = [header]
    for title, entries in sections.items():
        lines.append(f"\n【{title}】")
        lines.extend(f"· {words}：{help_line}" for words, help_line in entries)
    lines.append(f"\n{footer}")
    return "\n".join(lines)


def _section_page(sections: dict[str, list[tuple[str, str]]], topic: str) -> str:
    for title, entries in sections.items():
        if topic in title or any(topic in words.split(" / ") for words, _ in entries):
            return _page(f"「{title}」的命令：", {title: entries}, HELP_FOOTER)
    return UNKNOWN_TOPIC.format(topic=topic, titles="、".join(sections))
