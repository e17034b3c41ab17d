"""Routers collect handlers; ``bot.dispatch.registry`` decides which route takes an update.

Each handler module makes its routers (``router = Router(...)``) and decorates its handlers;
nothing is registered at import time beyond that module's own router objects, and a
capability (``bot.capability``) lists its routers once.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.dispatch.access import OPEN, SINGLE_CHATS, Access
from bot.dispatch.context import Context
from bot.dispatch.filters import Command, EventIs, Filter, MsgTypeIs, StateIs
from bot.dispatch.phrasing import Phrasing, compile_phrasings
from bot.dispatch.tiers import Tier
from bot.dispatch.types import ChatType, Reply
from models.tenants import Role

HandlerResult = str | Reply | Sequence[Reply] | None
Handler = Callable[[Context], Awaitable[HandlerResult]]
# Runs before the handler's transaction opens: the place for WeCom API calls whose results the
# handler needs (it may store them in ctx.deps).
Prepare = Callable[[Context], Awaitable[None]]
# Whether the speaker is someone a command is for (``Route.audience``); synchronous and cheap:
# it runs for every message before any phrasing is tried.
Audience = Callable[[Context], bool]

CORE_MODULE = "core"  # commands every tenant has, whatever its subscription
# What may follow the word of a command that takes nothing: a particle, an ask for the list,
# a short question about it (席位呢, 我的待办列表, 套餐什么时候到期, 席位够不够, 通讯录同步了吗).
# Anything else is other talk: 日报写完了，下班 is not 日报.
NOTHING_MORE = re.compile(
    r"^(?:(?:的)?(?:表|列表|清单|情况)?(?:有哪些|有什么|是什么|多少|有吗|有没有)?"
    r"(?:发我|发给我|给我|拉出来|调出来|列出来)?(?:看看|看下|看一下|一下)?"
    r"(?:吧|吗|呢|啊|呀|了|哈|嘛)?[\s？?。.!！~～]*"
    r"|[^，,。；;]{0,10}(?:吗|呢|么|[？?])[\s？?。.!！~～]*"
    r"|[^，,。；;]{0,6}(?:怎么样|如何|够不够|够用吗|什么时候|何时|多少|几个|几位|有没有|了没)"
    r"[^，,。；;]{0,6})$"
)


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    handler: Handler
    filters: tuple[Filter, ...]
    router: Router
    tier: Tier
    commands: tuple[str, ...] = ()  # the words 帮助 lists (a top-level command's)
    help: str = ""
    prepare: Prepare | None = None
    access: Access = OPEN  # who may run it and where (commands declare it)
    priority: int = 0  # between routes claiming the same command word: higher first
    intent: str = ""  # a stable name for what it does, e.g. "crm.create_customer"
    examples: tuple[str, ...] = ()  # how people phrase it, for understanding and for 帮助
    phrasings: tuple[Phrasing, ...] = ()  # natural forms rewritten into the canonical one
    slots: tuple[str, ...] = ()  # what the command takes, by name (its phrasings' groups)
    # Its canonical form over its slots, for a sentence understood by similarity
    # (``bot.nlu.slots``); default: its first word and its slots in order.
    fill: str = ""
    # Who it is for beyond roles (the provider's operators): for anyone else its phrasings
    # and the similarity stage never take a sentence; its own word still reaches it.
    audience: Audience | None = None

    @property
    def module(self) -> str:
        return self.router.module

    @property
    def title(self) -> str:
        return self.router.title

    @property
    def words(self) -> tuple[str, ...]:
        """Every command word it answers to, scoped to a step or not."""
        return tuple(w for f in self.filters if isinstance(f, Command) for w in f.words)

    @property
    def states(self) -> frozenset[str]:
        """The conversation steps it is scoped to (empty for "any step" or none)."""
        return frozenset(s for f in self.filters if isinstance(f, StateIs) for s in f.states)

    @property
    def quiet_states(self) -> frozenset[str]:
        return frozenset(
            s for f in self.filters if isinstance(f, StateIs) and f.quiet for s in f.states
        )

    @property
    def interrupts_steps(self) -> bool:
        """A command or recognised request outside any step: taking it ends the step the
        speaker was in (they asked for something else)."""
        return (
            not self.scoped
            and not self.router.keeps_steps
            and self.tier in (Tier.COMMAND, Tier.RECOGNISED, Tier.TEXT)
        )

    @property
    def scoped(self) -> bool:
        """True when it only runs in a conversation step's state."""
        return any(isinstance(f, StateIs) for f in self.filters)

    async def matches(self, ctx: Context) -> bool:
        """True if every filter passes; only then are the values they found set on ``ctx``
        (so a route that fails halfway leaves no stale ``args`` behind)."""
        found: dict[str, object] = {}
        for check in self.filters:
            result = check(ctx)
            if inspect.isawaitable(result):
                result = await result
            if not result:
                return False
            if isinstance(result, Mapping):
                found.update(result)
        for name, value in found.items():
            setattr(ctx, name, value)
        return True


def _first_doc_line(handler: Handler) -> str:
    doc = inspect.getdoc(handler) or ""
    return doc.splitlines()[0].strip() if doc else ""


def _intent_of(handler: Handler) -> str:
    """``<capability>.<handler>``: handlers live in ``handlers/<capability>/``."""
    parts = handler.__module__.split(".")
    owner = parts[1] if parts[0] == "handlers" and len(parts) > 1 else parts[-1]
    return f"{owner}.{handler.__name__}"


def _tier_of(filters: Sequence[Filter]) -> Tier:
    """What the filters say about the route (see ``bot.dispatch.registry``)."""
    if any(isinstance(f, Command) for f in filters):
        return Tier.COMMAND
    if any(isinstance(f, EventIs) for f in filters):
        return Tier.EVENT
    if any(isinstance(f, StateIs) for f in filters):
        answers = [f for f in filters if not isinstance(f, StateIs)]
        return Tier.ANSWER if answers else Tier.STEP
    return Tier.TEXT


class Router:
    """``name`` is for logs; ``title`` heads its section in 帮助; ``module`` is the
    subscription module its commands belong to (checked by the entitlement hook).

    ``tier`` puts every route of the router in one tier (a channel's router, a hint, the
    fallback) instead of the tier its filters imply. ``open_when_cancelled``: its commands
    keep working for a tenant whose subscription is cancelled (to see the plan and renew).
    ``keeps_steps``: its routes answer without ending a conversation step in progress
    (帮助, small talk); any other command or recognised request ends it first.
    """

    def __init__(
        self,
        name: str,
        *,
        title: str = "",
        module: str = CORE_MODULE,
        tier: Tier | None = None,
        open_when_cancelled: bool = False,
        keeps_steps: bool = False,
    ) -> None:
        self.name = name
        self.title = title
        self.module = module
        self.tier = tier
        self.open_when_cancelled = open_when_cancelled
        self.keeps_steps = keeps_steps
        self._routes: list[Route] = []

    def command(
        self,
        *words: str,
        filters: Sequence[Filter] = (),
        help: str | None = None,
        prepare: Prepare | None = None,
        chats: Iterable[ChatType] = SINGLE_CHATS,
        roles: Iterable[Role] = (),
        priority: int = 0,
        intent: str = "",
        examples: Sequence[str] = (),
        phrasings: Sequence[tuple[str, str]] = (),
        slots: Sequence[str] = (),
        fill: str = "",
        args_like: re.Pattern[str] | None = None,
        audience: Audience | None = None,
    ) -> Callable[[Handler], Handler]:
        """A text command. Its one-line help is ``help`` or the handler's docstring.

        ``chats``: where it runs (1:1 chats unless it names ``ChatType.GROUP`` too);
        ``roles``: who may run it (everyone unless it names ``Role.ADMIN`` or
        ``Role.DISPATCHER``). The dispatcher refuses the rest with the reason.
        ``priority``: only when another command claims one of the same words.
        ``intent`` (default ``<capability>.<handler>``) and ``examples``: what the command
        means, and sentences people use to ask for it (each must reach this command: a test
        sends them all). ``slots``: the names of what it takes (who, tag, when, ...);
        ``phrasings``: (pattern, canonical) pairs for the natural forms, their groups named
        after the slots (``bot.dispatch.phrasing``); ``fill``: the canonical form as a
        template over the slots when it is not the first word and the slots in order
        (``派单 {ticket} 给 {who}``; ``{slot?}`` may be absent); ``args_like``: the shape
        its arguments start with, when text of another shape is not for it (``Command``); a
        command with examples and no slots takes nothing but a particle or a question mark
        after its word. ``audience``: a check of the speaker (``Route.audience``)."""
        access = Access.of(chats, roles)
        if args_like is None and examples and not slots:
            # A command that says how people ask for it and names no slots takes nothing:
            # "席位卡摆好了吗" is not 席位 + "卡摆好了吗".
            args_like = NOTHING_MORE
        command = Command(*words, args_like=args_like, slot=slots[0] if len(slots) == 1 else "")

        def register(handler: Handler) -> Handler:
            self._add(
                handler,
                (MsgTypeIs("text"), command, *filters),
                (command, *filters),
                commands=words,
                help=help if help is not None else _first_doc_line(handler),
                prepare=prepare,
                access=access,
                priority=priority,
                intent=intent,
                examples=tuple(examples),
                phrasings=compile_phrasings(phrasings, words, slots),
                slots=tuple(slots),
                fill=fill,
                audience=audience,
            )
            return handler

        return register

    def message(
        self,
        *filters: Filter,
        prepare: Prepare | None = None,
        priority: int = 0,
        intent: str = "",
        examples: Sequence[str] = (),
        slots: Sequence[str] = (),
    ) -> Callable[[Handler], Handler]:
        """Any text message the filters accept (command words, regex, intent, state, ...).
        ``intent``, ``examples`` and ``slots`` as for ``command``."""

        def register(handler: Handler) -> Handler:
            checks: tuple[Filter, ...] = (MsgTypeIs("text"), *filters)
            self._add(
                handler,
                checks,
                filters,
                prepare=prepare,
                priority=priority,
                intent=intent,
                examples=tuple(examples),
                slots=tuple(slots),
            )
            return handler

        return register

    def on(self, *filters: Filter, prepare: Prepare | None = None) -> Callable[[Handler], Handler]:
        """Any update the filters accept, text or not."""

        def register(handler: Handler) -> Handler:
            self._add(handler, tuple(filters), filters, prepare=prepare)
            return handler

        return register

    def event(
        self,
        event: str,
        *change_types: str,
        filters: Sequence[Filter] = (),
        prepare: Prepare | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            checks: tuple[Filter, ...] = (EventIs(event, *change_types), *filters)
            self._add(handler, checks, checks, prepare=prepare)
            return handler

        return register

    def _add(
        self,
        handler: Handler,
        checks: tuple[Filter, ...],
        declared: Sequence[Filter],
        *,
        commands: tuple[str, ...] = (),
        help: str = "",
        prepare: Prepare | None = None,
        access: Access = OPEN,
        priority: int = 0,
        intent: str = "",
        examples: tuple[str, ...] = (),
        phrasings: tuple[Phrasing, ...] = (),
        slots: tuple[str, ...] = (),
        fill: str = "",
        audience: Audience | None = None,
    ) -> None:
        """``declared``: the filters the handler's author wrote, which decide its tier (the
        text-only check every message route gets says nothing about it)."""
        tier = self.tier if self.tier is not None else _tier_of(declared)
        route = Route(
            handler,
            checks,
            self,
            tier,
            commands=commands,
            help=help,
            prepare=prepare,
            access=access,
            priority=priority,
            intent=intent or _intent_of(handler),
            examples=examples,
            phrasings=phrasings,
            slots=slots,
            fill=fill,
            audience=audience,
        )
        self._routes.append(route)

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes)


def flatten(routers: Sequence[Router]) -> Iterator[Route]:
    for router in routers:
        yield from router.routes
