"""Who may run a command and where, declared per command and checked once by the dispatcher.

A command says which chats it runs in (``chats``: 1:1 chats by default, groups only when it
declares them) and who may run it (``roles``: everyone by default). Admins may run anything a
dispatcher may. A command that matched but is not allowed answers why in one line, so nobody
is left guessing; in a group that is always worth saying, because the group bot only hears
messages that @-mention it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.dispatch.types import ChatType
from models.tenants import Role

SINGLE_CHATS = frozenset({ChatType.SINGLE})
ALL_CHATS = frozenset({ChatType.SINGLE, ChatType.GROUP})
EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})
DISPATCHERS = frozenset({Role.ADMIN, Role.DISPATCHER})

ADMINS_ONLY = "仅管理员可用"
ADMINS_AND_DISPATCHERS_ONLY = "仅管理员和派单员可用"
SINGLE_CHAT_ONLY = "这个命令请在和我的单聊里使用"
GROUP_ONLY = "这个命令请在群里 @我 使用"


def roles_of(roles: Iterable[Role]) -> frozenset[Role]:
    """Admins may do whatever a command allows anyone; naming members opens it to all."""
    named = frozenset(roles)
    if not named or Role.MEMBER in named:
        return EVERYONE
    return named | ADMINS


@dataclass(frozen=True, slots=True)
class Access:
    chats: frozenset[ChatType] = SINGLE_CHATS
    roles: frozenset[Role] = EVERYONE

    @classmethod
    def of(cls, chats: Iterable[ChatType], roles: Iterable[Role]) -> Access:
        return cls(frozenset(chats) or SINGLE_CHATS, roles_of(roles))

    @property
    def privileged(self) -> bool:
        """Commands not everyone may run: the ones the audit log records."""
        return Role.MEMBER not in self.roles

    def refusal(self, role: Role, chat_type: ChatType) -> str | None:
        """Why ``role`` may not run the command in a ``chat_type`` chat, or None."""
        if role not in self.roles:
            return ADMINS_AND_DISPATCHERS_ONLY if Role.DISPATCHER in self.roles else ADMINS_ONLY
        if chat_type not in self.chats:
            return SINGLE_CHAT_ONLY if ChatType.SINGLE in self.chats else GROUP_ONLY
        return None


# Events, free text and catch-alls: they decide for themselves through their filters.
OPEN = Access(ALL_CHATS, EVERYONE)
