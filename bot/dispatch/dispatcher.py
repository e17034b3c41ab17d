"""Runs one update through the middlewares to the first route that takes it.

The dispatcher is the one place that decides whether the speaker may run the route here
(``Route.access``: their role, the chat type) before the entitlement check, and the one place
that writes the audit log: every run or refusal of a command only admins or dispatchers may
run becomes an ``AuditEntry`` in the same transaction as its effect.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from bot.admin import audit
from bot.clock import Clock
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.guess import Guesser
from bot.dispatch.middlewares import DEFAULT_MIDDLEWARES, Middleware
from bot.dispatch.registry import RouteTable
from bot.dispatch.router import CORE_MODULE, HandlerResult, Route, Router, flatten
from bot.dispatch.tiers import Tier
from bot.dispatch.types import Channel, Reply, ReplyKind, Update
from bot.nlu.normalise import normalise
from bot.nlu.similarity import ExampleIndex, index_of
from bot.tenants import TenantInfo
from models.admin import AuditResult

logger = logging.getLogger(__name__)

# Returns a refusal (what to tell the user; "" to refuse silently, for people who should
# never hear about the tenant's subscription) or None to let the command run.
EntitlementCheck = Callable[[Context, Route], Awaitable[str | Reply | None]]
IntentResolver = Callable[[Update], Awaitable[str | None]]
# The modules the tenant may use now; None: every module (no subscriptions in play).
OpenModules = Callable[[Context], Awaitable[frozenset[str]]]

FAILED = "处理时出错，没有做任何更改"
LEFT_STEP = "（已放弃刚才{what}没完成的操作）"
UNDERSTOOD_AS = "（按「{canonical}」处理）"
SLOT_NAMES = "slot_names."
# A capability that wants to hear of every command run puts a ``CommandHook`` in its deps
# under a key with this prefix (the provider's usage events). Hooks are awaited inside the
# command's transaction, so what they write commits or rolls back with it.
ON_COMMAND = "on_command."


class CommandOutcome(StrEnum):
    OK = "ok"
    REFUSED_MODULE = "refused_module"
    REFUSED_SEAT = "refused_seat"
    REFUSED = "refused"  # the speaker's role or chat, or a lapsed subscription
    ERROR = "error"


CommandHook = Callable[[Context, Route, CommandOutcome, float], Awaitable[None]]


async def allow_everything(ctx: Context, route: Route) -> str | Reply | None:
    """The entitlement hook until subscriptions exist: every module is open."""
    return None


@dataclass(frozen=True, slots=True)
class Understood:
    route: Route | None
    text: str
    args: str


class Dispatcher:
    def __init__(
        self,
        routers: Sequence[Router],
        *,
        clock: Clock,
        entitlement: EntitlementCheck = allow_everything,
        intent_resolver: IntentResolver | None = None,
        open_modules: OpenModules | None = None,
        middlewares: Sequence[Middleware] = DEFAULT_MIDDLEWARES,
        deps: dict[str, Any] | None = None,
    ) -> None:
        self.routers = tuple(routers)
        self.routes = tuple(flatten(self.routers))  # in the capabilities' order, for 帮助
        self.table = RouteTable(self.routes)
        self._clock = clock
        self._entitlement = entitlement
        self._intent_resolver = intent_resolver
        self._open_modules = open_modules
        self._middlewares = tuple(middlewares)
        # The forgiving stage of understanding: what a sentence nothing took is closest to.
        examples = examples_of(self.routes)
        self._guesser = Guesser(self.routes)
        self._with_audience = tuple(r for r in self.routes if r.audience is not None)
        self._deps = {"examples": examples, **(deps or {})}

    @property
    def deps(self) -> Mapping[str, Any]:
        """The capabilities' services and hooks, for code that runs outside a chat (a page)."""
        return self._deps

    async def prepare(self, update: Update, tenant: TenantInfo) -> Prepared:
        """Everything before the handler: middlewares, route matching, and the route's own
        ``prepare`` step (network calls such as fetching a customer from WeCom). Runs outside
        any transaction, so a slow API call never holds the database."""
        ctx, route, refusal = await self._route(update, tenant)
        prepared = Prepared(ctx, route, self._entitlement, refusal, self.table)
        if route is not None and route.prepare is not None and refusal is None:
            try:
                await route.prepare(ctx)
            except UserFacingError as exc:
                if not route.access.privileged:
                    raise
                prepared.failed_early = exc.message  # answered and audited in run()
        return prepared

    async def route_for(self, update: Update, tenant: TenantInfo) -> Route | None:
        """The route that would take ``update`` (allowed or not), without running anything."""
        return (await self.understand(update, tenant)).route

    async def understand(self, update: Update, tenant: TenantInfo) -> Understood:
        """The route that would take ``update``, the text it would see (the canonical command
        a natural sentence stands for) and the arguments its handler would get, without
        running anything."""
        ctx, route, _ = await self._route(update, tenant)
        return Understood(route, ctx.update.text, ctx.args)

    async def _route(
        self, update: Update, tenant: TenantInfo
    ) -> tuple[Context, Route | None, str | None]:
        said = update.text
        ctx = Context(
            update, tenant, self._clock, routes=self.routes, deps=dict(self._deps), said=said
        )
        ctx.closed = self._closed_to(ctx)
        if said:
            ctx.update = replace(
                update, text=self._understood(update.channel, normalise(said), ctx.closed)
            )
        for middleware in self._middlewares:
            await middleware(ctx)
        route, refusal = await self._match(ctx)
        return ctx, route, refusal

    def _closed_to(self, ctx: Context) -> frozenset[Route]:
        """The commands not for this speaker (``Route.audience``)."""
        return frozenset(r for r in self._with_audience if r.audience and not r.audience(ctx))

    def _understood(self, channel: Channel, text: str, closed: frozenset[Route]) -> str:
        """A natural phrasing of a command becomes the command; 微信客服 customers' words
        are left as they wrote them (their questions go to the knowledge base)."""
        if channel is Channel.KF:
            return text
        return self.table.rephrase(text, closed) or text

    async def feed(self, update: Update, tenant: TenantInfo) -> list[Reply]:
        """Prepare and run in one go (tests, and callers that need no transaction split).
        Exceptions propagate: the caller decides what the user is told."""
        return await (await self.prepare(update, tenant)).run()

    async def _match(self, ctx: Context) -> tuple[Route | None, str | None]:
        """The first route, in the registry's order, that takes the update and lets the
        speaker run it here. A command that matched but is not allowed is remembered: a
        later command with the same word may still take it (a member's version of an admin
        command), but nothing else may (not 取消 for 取消管理员, not a catch-all), so the
        speaker hears why."""
        if self._intent_resolver is not None and ctx.update.text:
            ctx.intent = await self._intent_resolver(ctx.update)
        return await self._first_taker(ctx, self.table.candidates(ctx.update.text), guess=True)

    async def _first_taker(
        self, ctx: Context, candidates: Iterable[Route], *, guess: bool = False
    ) -> tuple[Route | None, str | None]:
        refused: tuple[Route, str] | None = None
        refused_args = ""
        for route in candidates:
            if guess and refused is None and route.tier >= Tier.TEXT:
                guess = False  # only once, and only for text no exact rule took
                guessed = await self._by_similarity(ctx)
                if guessed is not None:
                    return guessed
            if refused is not None and not _same_command(route, refused[0]):
                continue
            if not await route.matches(ctx):
                continue
            if refused is not None and ctx.args != refused_args:
                continue  # another of its words matched less of the text
            refusal = route.access.refusal(ctx.role, ctx.update.chat_type)
            if refusal is None:
                ctx.route = route
                return route, None
            if refused is None:
                refused, refused_args = (route, refusal), ctx.args
        if refused is not None:
            ctx.route = refused[0]
            ctx.args = refused_args
            return refused
        logger.debug("no route for update %s (%s)", ctx.update.key, ctx.update.msg_type)
        return None, None

    async def _by_similarity(self, ctx: Context) -> tuple[Route | None, str | None] | None:
        """The second stage (``bot.dispatch.guess``): the command the sentence clearly
        means, among those of modules the tenant has, routed as its canonical form (and
        refused as typed would be when the speaker may not run it here)."""
        update = ctx.update
        if update.channel is Channel.KF or update.msg_type != "text" or not update.text:
            return None
        modules = await self._open_modules(ctx) if self._open_modules is not None else None
        allowed = [
            r.intent
            for r in self.routes
            if r.commands and (modules is None or r.module == CORE_MODULE or r.module in modules)
        ]
        now = self._clock.now().astimezone(ctx.tenant.timezone)
        segmenter = ctx.deps.get("segmenter")
        hidden = frozenset(r.intent for r in ctx.closed)
        guess = self._guesser.guess(
            update.text, allowed, segmenter, now, slot_names(ctx.deps), hidden=hidden
        )
        if guess is None:
            return None
        ctx.update = replace(update, text=guess.canonical)
        commands = [r for r in self.table.candidates(guess.canonical) if r.tier is Tier.COMMAND]
        route, refusal = await self._first_taker(ctx, commands)
        if route is None or route.intent != guess.route.intent:
            ctx.update, ctx.args, ctx.route = update, "", None
            return None
        ctx.understood_as = guess.canonical
        return route, refusal


def slot_names(deps: Mapping[str, Any]) -> dict[str, Sequence[str]]:
    """The names slots of ``Kind.NAMED`` may take (an edition, a module, a service): each
    capability that has such slots puts a ``slot_names.<capability>`` hook in its deps, a
    callable giving slot → names (read at each guess: the catalog can change)."""
    names: dict[str, Sequence[str]] = {}
    for key, hook in deps.items():
        if key.startswith(SLOT_NAMES):
            names.update(hook())
    return names


class Prepared:
    """An update with its route chosen; ``run`` does the access and entitlement checks and
    the handler, inside the caller's transaction."""

    def __init__(
        self,
        ctx: Context,
        route: Route | None,
        entitlement: EntitlementCheck,
        refusal: str | None = None,
        table: RouteTable | None = None,
    ) -> None:
        self.ctx = ctx
        self.route = route
        self._entitlement = entitlement
        self._table = table
        self.refusal = refusal  # why the speaker may not run the route here
        self.failed_early: str | None = None  # the route's prepare step said this
        self._started = time.perf_counter()

    @property
    def audited(self) -> bool:
        return self.route is not None and self.route.access.privileged

    async def run(self) -> list[Reply]:
        if self.route is None:
            return self.ctx.replies
        refusal = self.refusal or await self._entitlement(self.ctx, self.route)
        if refusal is not None:
            if refusal:  # "" refuses without a word (see EntitlementCheck)
                self.ctx.reply(refusal)
            await self._audit(AuditResult.REFUSED, audit.summary_of(self.ctx.replies[-1:]))
            await self.observe(self._refused_as())
            return self.ctx.replies
        if self.failed_early is not None:
            self.ctx.reply(self.failed_early)
            await self._audit(AuditResult.ERROR, self.failed_early)
            await self.observe(CommandOutcome.ERROR)
            return self.ctx.replies
        await self._leave_step()
        before = len(self.ctx.replies)
        outcome = CommandOutcome.OK
        if self.audited:
            outcome = await self._run_audited()
        else:
            await self._call_handler()
        self._say_understood_as(before)
        await self.observe(outcome)
        return self.ctx.replies

    def _refused_as(self) -> CommandOutcome:
        if self.refusal is None and self.ctx.refused_for == "module":
            return CommandOutcome.REFUSED_MODULE
        if self.refusal is None and self.ctx.refused_for == "seat":
            return CommandOutcome.REFUSED_SEAT
        return CommandOutcome.REFUSED

    async def observe(self, outcome: CommandOutcome) -> None:
        """Tell the ``on_command.`` hooks how a command ended. Events and answers to a
        conversation's questions are no commands, nor is text nothing understood, and a
        微信客服 customer is no member."""
        route, update = self.route, self.ctx.update
        if route is None or route.scoped or route.tier is Tier.FALLBACK:
            return
        if update.is_event or update.channel is Channel.KF:
            return
        hooks = [hook for key, hook in self.ctx.deps.items() if key.startswith(ON_COMMAND)]
        seconds = time.perf_counter() - self._started
        for hook in hooks:
            await hook(self.ctx, route, outcome, seconds)

    def _say_understood_as(self, first: int) -> None:
        """A sentence understood by similarity: its first text answer says which command it
        ran, so a wrong guess is visible at once and the precise form is learned."""
        canonical = self.ctx.understood_as
        if canonical is None:
            return
        for n, reply in enumerate(self.ctx.replies[first:], first):
            if reply.kind is ReplyKind.TEXT and reply.to_user is None:
                prefix = UNDERSTOOD_AS.format(canonical=canonical)
                self.ctx.replies[n] = replace(reply, text=f"{prefix}\n{reply.text}")
                return

    async def _leave_step(self) -> None:
        """The speaker asked for something else mid-conversation: the question they left
        unanswered is dropped, with one line saying so, before the new request runs."""
        conversation = self.ctx.conversation
        assert self.route is not None
        if conversation is None or conversation.state is None:
            return
        if not self.route.interrupts_steps:
            return
        state = conversation.state
        await conversation.clear()
        if self._table is None or state in self._table.quiet_steps:
            return
        title = self._table.step_titles.get(state, "")
        self.ctx.reply(LEFT_STEP.format(what=f"「{title}」" if title else ""))

    async def failed(self) -> None:
        """The handler raised something unexpected and its transaction rolled back; the
        caller records that here, in the transaction that stores the apology (the details
        are in the log, not in what admins read)."""
        await self._audit(AuditResult.ERROR, FAILED)
        await self.observe(CommandOutcome.ERROR)

    async def _call_handler(self) -> None:
        assert self.route is not None
        result = self.route.handler(self.ctx)
        _collect(self.ctx, await result if inspect.isawaitable(result) else result)

    async def _run_audited(self) -> CommandOutcome:
        before = len(self.ctx.replies)
        try:
            # A savepoint: bad input undoes the command's changes but keeps its audit entry.
            async with in_transaction():
                await self._call_handler()
        except UserFacingError as exc:
            del self.ctx.replies[before:]
            self.ctx.reply(exc.message)
            await exc.keep()
            await self._audit(AuditResult.ERROR, exc.message)
            return CommandOutcome.ERROR
        await self._audit(AuditResult.OK, audit.summary_of(self.ctx.replies[before:]))
        return CommandOutcome.OK

    async def _audit(self, result: AuditResult, summary: str) -> None:
        if self.audited:
            await audit.record(self.ctx, result, summary)


def examples_of(routes: Sequence[Route]) -> ExampleIndex:
    texts: dict[str, list[str]] = {}
    for route in routes:
        if route.commands:
            texts.setdefault(route.intent, []).extend(
                [*route.examples, route.help, *route.commands]
            )
    return index_of(texts)


def _same_command(route: Route, refused: Route) -> bool:
    return bool(set(route.commands) & set(refused.commands))


def _collect(ctx: Context, result: HandlerResult) -> None:
    if result is None:
        return
    if isinstance(result, str | Reply):
        ctx.reply(result)
    else:
        ctx.replies.extend(result)
