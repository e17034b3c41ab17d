"""What a handler gets besides the update: who, where, the state, and its dependencies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.clock import Clock
from bot.dispatch.access import Access
from bot.dispatch.state import Conversation
from bot.dispatch.types import Channel, Reply, Update
from bot.tenants import TenantInfo
from models.tenants import Employee, Role


class RouteInfo(Protocol):
    """What a handler may read about routes: its own (``ctx.route``), and every route for
    帮助 (``ctx.routes``). ``bot.dispatch.router.Route`` is the one implementation."""

    @property
    def commands(self) -> tuple[str, ...]: ...

    @property
    def help(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def access(self) -> Access: ...

    @property
    def intent(self) -> str: ...

    @property
    def examples(self) -> tuple[str, ...]: ...

    @property
    def module(self) -> str: ...


@dataclass(slots=True)
class Context:
    update: Update
    tenant: TenantInfo
    clock: Clock
    routes: Sequence[RouteInfo] = ()
    employee: Employee | None = None
    conversation: Conversation | None = None
    intent: str | None = None
    args: str = ""  # the text after a matched command word
    match: re.Match[str] | None = None  # set by a Regex filter
    route: RouteInfo | None = None
    deps: dict[str, Any] = field(default_factory=dict)  # services later modules pass in
    replies: list[Reply] = field(default_factory=list)
    said: str = ""  # the text exactly as typed (``update.text`` is normalised): for quoting
    # The canonical command a sentence was understood as by similarity (bot.dispatch.guess),
    # said back to the speaker so a guess is never silent.
    understood_as: str | None = None
    # The dictionary words in the text, found once per text (bot.dispatch.filters.Command).
    known_words: tuple[str, tuple[tuple[int, int], ...]] | None = None
    # Why the entitlement check refused the command ("module", "seat"), for usage records.
    refused_for: str = ""
    # Commands not for this speaker (``Route.audience``): no phrasing or guess leads to them.
    closed: frozenset[Any] = frozenset()

    @property
    def is_admin(self) -> bool:
        if self.update.user_id and self.update.user_id in self.tenant.admins:
            return True
        return self.employee is not None and self.employee.role == Role.ADMIN

    @property
    def role(self) -> Role:
        """The speaker's role: admins from config count as admins whatever their row says."""
        if self.is_admin:
            return Role.ADMIN
        return self.employee.role if self.employee is not None else Role.MEMBER

    def reply(self, message: str | Reply) -> None:
        """Answer the person the update came from."""
        self.replies.append(Reply(text=message) if isinstance(message, str) else message)

    def send(self, to_user: str, message: str | Reply) -> None:
        """Tell an employee (an admin, an assignee) through the app, in the same transaction,
        whatever channel the update came in on."""
        reply = Reply(text=message) if isinstance(message, str) else message
        channel = reply.channel or Channel.APP.value
        self.replies.append(Reply(reply.text, reply.kind, to_user, reply.payload, channel))
