"""Text that asks for a module's function, as opposed to text that merely contains its name.

"我想用进销存", "有没有工单功能", "知识库怎么用" ask for a module; "帮我加个客户：王经理，…的采购"
only mentions one (采购 is an alias of 进销存) and must never be answered with a price. So a
request is a whole sentence of one of the shapes below around a module's name or alias, or a
command word of that module's own commands at the start of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.subscription.catalog import Catalog, Module, names_of, normalize_name

# "我想开通", "能不能用", "怎么用", "试一下": what people put before the thing they want.
_WANT = r"(?:我|我们|咱们)?(?:想|想要|要|需要|打算|准备|能|能不能|可以|可不可以|怎么|如何|怎样)?"
_VERB = r"(?:开通|开个|开一个|开|用|使用|用用|用一下|试试|试用|试一下|买|购买|订购|启用|申请|加个)"
_ASK = r"(?:有没有|支持|支不支持|能不能用|可以用)"
# "工单怎么用", "进销存能用吗", "呼叫中心在哪": what people put after it.
_AFTER = (
    r"(?:怎么用|怎么开通|怎么开|如何使用|如何开通|能用吗|可以用吗|能不能用|用不了|打不开"
    r"|在哪|在哪里|在哪儿|怎么没有|怎么没了)"
)
_THING = r"(?:模块|功能|系统|服务|版)?"
_END = r"(?:吗|呢|啊|呀|吧|了)?[？?。.!！~～]*"


def _shapes(name: str) -> tuple[re.Pattern[str], ...]:
    n = re.escape(name)
    return tuple(
        re.compile(shape, re.IGNORECASE)
        for shape in (
            rf"{_WANT}{_VERB}(?:一下|下)?{n}{_THING}{_END}",
            rf"{_ASK}{n}{_THING}{_END}",
            rf"{n}{_THING}{_AFTER}{_END}",
        )
    )


def asks_for(text: str, module: Module) -> bool:
    """True when the whole of ``text`` is a request for ``module`` by name or alias."""
    said = normalize_name(text)
    names = sorted((n for n in names_of(module) if len(n) >= 2), key=len, reverse=True)
    return any(shape.fullmatch(said) for name in names for shape in _shapes(name))


def starts_with_command(text: str, words: Iterable[str]) -> bool:
    """True when ``text`` starts with one of the module's command words (新建工单 …)."""
    said = text.strip().lstrip("/").casefold()
    return any(word and said.startswith(word.casefold()) for word in words)


def requested_module(
    text: str, catalog: Catalog, locked: Iterable[str], commands: dict[str, tuple[str, ...]]
) -> Module | None:
    """The first module among ``locked`` (codes) that ``text`` asks for; ``commands`` maps a
    module code to the command words of its routes."""
    wanted = set(locked)
    for module in catalog.modules:
        if module.code not in wanted:
            continue
        if starts_with_command(text, commands.get(module.code, ())) or asks_for(text, module):
            return module
    return None
