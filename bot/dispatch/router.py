"""Routers collect handlers; the dispatcher walks them in the order they were included.

Each ``handlers/*.py`` module makes one ``router = Router(...)`` and decorates its handlers;
nothing is registered at import time beyond that module's own router object, and the app
includes the routers in one place (``handlers.ROUTERS``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.dispatch.access import OPEN, SINGLE_CHATS, Access
from bot.dispatch.context import Context
from bot.dispatch.filters import Command, EventIs, Filter, MsgTypeIs
from bot.dispatch.types import ChatType, Reply
from models.tenants import Role

HandlerResult = str | Reply | Sequence[Reply] | None
Handler = Callable[[Context], Awaitable[HandlerResult]]
# Runs before the handler's transaction opens: the place for WeCom API calls whose results the
# handler needs (it may store them in ctx.deps).
Prepare = Callable[[Context], Awaitable[None]]

CORE_MODULE = "core"  # commands every tenant has, whatever its subscription


@dataclass(frozen=True, slots=True)
class Route:
    handler: Handler
    filters: tuple[Filter, ...]
    router: Router
    commands: tuple[str, ...] = ()
    help: str = ""
    prepare: Prepare | None = None
    access: Access = OPEN  # who may run it and where (commands declare it)

    @property
    def module(self) -> str:
        return self.router.module

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


class Router:
    """``name`` is for logs; ``title`` heads its section in 帮助; ``module`` is the
    subscription module its commands belong to (checked by the entitlement hook)."""

    def __init__(self, name: str, *, title: str = "", module: str = CORE_MODULE) -> None:
        self.name = name
        self.title = title
        self.module = module
        self._routes: list[Route] = []

    def command(
        self,
        *words: str,
        filters: Sequence[Filter] = (),
        help: str | None = None,
        prepare: Prepare | None = None,
        chats: Iterable[ChatType] = SINGLE_CHATS,
        roles: Iterable[Role] = (),
    ) -> Callable[[Handler], Handler]:
        """A text command. Its one-line help is ``help`` or the handler's docstring.

        ``chats``: where it runs (1:1 chats unless it names ``ChatType.GROUP`` too);
        ``roles``: who may run it (everyone unless it names ``Role.ADMIN`` or
        ``Role.DISPATCHER``). The dispatcher refuses the rest with the reason."""
        access = Access.of(chats, roles)

        def register(handler: Handler) -> Handler:
            self._routes.append(
                Route(
                    handler=handler,
                    filters=(MsgTypeIs("text"), Command(*words), *filters),
                    router=self,
                    commands=words,
                    help=help if help is not None else _first_doc_line(handler),
                    prepare=prepare,
                    access=access,
                )
            )
            return handler

        return register

    def message(
        self, *filters: Filter, prepare: Prepare | None = None
    ) -> Callable[[Handler], Handler]:
        """Any message the filters accept (regex, intent, state, chat type, ...)."""

        def register(handler: Handler) -> Handler:
            route = Route(handler, (MsgTypeIs("text"), *filters), self, prepare=prepare)
            self._routes.append(route)
            return handler

        return register

    def on(self, *filters: Filter, prepare: Prepare | None = None) -> Callable[[Handler], Handler]:
        """Any update the filters accept, text or not."""

        def register(handler: Handler) -> Handler:
            self._routes.append(Route(handler, tuple(filters), self, prepare=prepare))
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
            self._routes.append(Route(handler, checks, self, prepare=prepare))
            return handler

        return register

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes)


def flatten(routers: Sequence[Router]) -> Iterator[Route]:
    for router in routers:
        yield from router.routes
