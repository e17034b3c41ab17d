"""The two values that cross the boundary between transport and logic.

Handlers only ever see an ``Update`` and produce ``Reply`` objects; everything that knows about
XML, signatures or access tokens lives in ``bot.wecom``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Channel(StrEnum):
    APP = "app"  # the self-built app (1:1 chat with employees, plus its event callbacks)
    AIBOT = "aibot"  # the group bot (智能机器人)
    KF = "kf"  # 微信客服
    CONSOLE = "console"  # the terminal console when it runs without a simulator


class ChatType(StrEnum):
    SINGLE = "single"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Update:
    """One thing that happened in WeCom, already verified, decrypted and parsed.

    ``key`` is unique per tenant and stable across WeCom's retries of the same callback; the
    inbox uses it to turn retries into no-ops. ``user_id`` is the employee the update concerns
    (the sender of a message, or the ``UserID`` of a customer-contact event); ``fields`` keeps
    every other parsed value (``ExternalUserID``, ``State``, ``WelcomeCode``, ...).
    """

    tenant_key: str
    channel: Channel
    key: str
    msg_type: str
    created_at: datetime
    user_id: str | None = None
    text: str = ""
    event: str | None = None
    change_type: str | None = None
    chat_type: ChatType = ChatType.SINGLE
    chat_id: str | None = None
    agent_id: int | None = None
    fields: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, hash=False, compare=False)

    @property
    def is_event(self) -> bool:
        return self.event is not None

    @property
    def reply_to(self) -> str | None:
        """Where ``ctx.reply`` goes: the sender, unless the channel parser named another
        address in ``fields["reply_to"]`` (a 微信客服 customer, a group bot chat)."""
        value = self.fields.get("reply_to")
        return str(value) if value else self.user_id

    @property
    def external_user_id(self) -> str | None:
        value = self.fields.get("ExternalUserID")
        return str(value) if value else None

    def to_json(self) -> str:
        return json.dumps(
            {
                "tenant_key": self.tenant_key,
                "channel": self.channel.value,
                "key": self.key,
                "msg_type": self.msg_type,
                "created_at": self.created_at.isoformat(),
                "user_id": self.user_id,
                "text": self.text,
                "event": self.event,
                "change_type": self.change_type,
                "chat_type": self.chat_type.value,
                "chat_id": self.chat_id,
                "agent_id": self.agent_id,
                "fields": dict(self.fields),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Update:
        data = json.loads(raw)
        return cls(
            tenant_key=data["tenant_key"],
            channel=Channel(data["channel"]),
            key=data["key"],
            msg_type=data["msg_type"],
            created_at=datetime.fromisoformat(data["created_at"]),
            user_id=data["user_id"],
            text=data["text"],
            event=data["event"],
            change_type=data["change_type"],
            chat_type=ChatType(data["chat_type"]),
            chat_id=data["chat_id"],
            agent_id=data["agent_id"],
            fields=MappingProxyType(data["fields"]),
        )


class ReplyKind(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    TEXTCARD = "textcard"
    TEMPLATE_CARD = "template_card"
    CARD_UPDATE = "update_template_card"  # grey out the button clicked (bot.card_updates)
    MSGMENU = "msgmenu"  # 微信客服's menu of click items
    IMAGE = "image"  # payload: {"media_id": ...} (a group webhook robot: {"base64", "md5"})
    # A customer-contact mass-send task (externalcontact/add_msg_template) that the member in
    # to_user confirms; payload: external_userid, text, attachments.
    MSG_TEMPLATE = "msg_template"
    # An entry on a member's WeCom calendar (oa/schedule/*); payload: what the channel's
    # transport needs to write it.
    SCHEDULE = "schedule"


@dataclass(frozen=True, slots=True)
class Reply:
    """Something the bot wants to say.

    ``to_user`` defaults to the sender of the update being handled (``Update.reply_to``).
    ``channel`` defaults to the update's channel; ``ctx.send`` sets ``app`` because other
    people are reached through the self-built app. ``text`` is the content for text and
    markdown; textcard and template_card carry WeCom's object in ``payload``.
    """

    text: str = ""
    kind: ReplyKind = ReplyKind.TEXT
    to_user: str | None = None
    payload: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, hash=False, compare=False)
    channel: str | None = None

    @classmethod
    def markdown(cls, text: str, *, to_user: str | None = None) -> Reply:
        return cls(text=text, kind=ReplyKind.MARKDOWN, to_user=to_user)
