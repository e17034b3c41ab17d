"""Typed wrappers over the WeCom customer-contact APIs (客户联系), on top of ``WeComClient``.

Each function makes one call and turns WeCom's JSON into frozen dataclasses, so the rest of
the bot never reads raw field names. Shapes follow WeCom's docs 92114 (externalcontact/get),
92994 (batch/get_by_user), 92137 (send_welcome_msg), 92117/92118 (tags), 92122
(groupchat/get) and 94096/94100 (transfers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.wecom.client import AppCredentials, WeComAPIError, WeComClient

# Answers to send_welcome_msg that mean "someone already greeted this customer", not failure.
WELCOME_ALREADY_SENT = 41051
WELCOME_OTHER_APP = 41096
# batch/get_by_user answers this for members who have no customers at all.
NO_CUSTOMERS = 84061
MAX_BATCH_USERS = 100  # userid_list of batch/get_by_user, external_userid of transfers


@dataclass(frozen=True, slots=True)
class ExternalContact:
    external_userid: str
    name: str
    kind: int  # 1 WeChat, 2 WeCom
    corp_name: str = ""
    gender: int = 0
    avatar: str = ""


@dataclass(frozen=True, slots=True)
class FollowInfo:
    """One member's relationship with the customer (follow_user / follow_info)."""

    userid: str
    remark: str = ""
    description: str = ""
    createtime: int = 0
    add_way: int = 0
    state: str = ""
    remark_corp_name: str = ""
    remark_mobiles: tuple[str, ...] = ()
    tag_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactDetail:
    """``every_follower`` is True when ``follows`` lists every member who has the customer
    (externalcontact/get), False when it holds only some (a batch page, a callback)."""

    contact: ExternalContact
    follows: tuple[FollowInfo, ...]
    every_follower: bool = False

    def follow_of(self, userid: str) -> FollowInfo | None:
        return next((f for f in self.follows if f.userid == userid), None)


@dataclass(frozen=True, slots=True)
class ContactPage:
    details: tuple[ContactDetail, ...]  # one per (customer, member) pair
    next_cursor: str


@dataclass(frozen=True, slots=True)
class CorpTagInfo:
    tag_id: str
    name: str
    group_id: str
    group_name: str
    order: int = 0


@dataclass(frozen=True, slots=True)
class GroupMember:
    userid: str
    kind: int  # 1 member, 2 external contact
    join_time: int = 0
    join_scene: int = 0  # 1 invited, 2 link, 3 QR code (differs from the callback's codes)


@dataclass(frozen=True, slots=True)
class GroupChat:
    chat_id: str
    name: str
    owner: str
    notice: str
    members: tuple[GroupMember, ...]


class WelcomeOutcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"  # 41051: already chatting, or the code was used
    OTHER_APP = "other_app"  # 41096: another app holds this welcome_code


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _int(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    return value if isinstance(value, int) else 0


def _objects(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _contact(data: Mapping[str, Any]) -> ExternalContact:
    return ExternalContact(
        external_userid=_text(data, "external_userid"),
        name=_text(data, "name"),
        kind=_int(data, "type"),
        corp_name=_text(data, "corp_name"),
        gender=_int(data, "gender"),
        avatar=_text(data, "avatar"),
    )


def _follow(data: Mapping[str, Any]) -> FollowInfo:
    # externalcontact/get lists tags as objects; batch/get_by_user as bare tag ids.
    tag_ids = _strings(data.get("tag_id")) or tuple(
        _text(tag, "tag_id") for tag in _objects(data, "tags") if _text(tag, "tag_id")
    )
    return FollowInfo(
        userid=_text(data, "userid"),
        remark=_text(data, "remark"),
        description=_text(data, "description"),
        createtime=_int(data, "createtime"),
        add_way=_int(data, "add_way"),
        state=_text(data, "state"),
        remark_corp_name=_text(data, "remark_corp_name"),
        remark_mobiles=_strings(data.get("remark_mobiles")),
        tag_ids=tag_ids,
    )


async def get_contact(
    client: WeComClient, creds: AppCredentials, external_userid: str
) -> ContactDetail:
    result = await client.call(
        creds, "externalcontact/get", method="GET", params={"external_userid": external_userid}
    )
    contact = result.get("external_contact")
    if not isinstance(contact, Mapping):
        raise WeComAPIError("externalcontact/get", -1, "response has no external_contact")
    follows = tuple(_follow(item) for item in _objects(result, "follow_user"))
    return ContactDetail(_contact(contact), follows, every_follower=True)


async def follow_user_list(client: WeComClient, creds: AppCredentials) -> list[str]:
    """Members with the customer-contact feature, within the app's visibility."""
    result = await client.call(creds, "externalcontact/get_follow_user_list", method="GET")
    return list(_strings(result.get("follow_user")))


async def contacts_by_users(
    client: WeComClient,
    creds: AppCredentials,
    userids: Sequence[str],
    cursor: str = "",
    limit: int = 100,
) -> ContactPage:
    """One page of the customers of up to 100 members."""
    body = {"userid_list": list(userids[:MAX_BATCH_USERS]), "cursor": cursor, "limit": limit}
    try:
        result = await client.call(creds, "externalcontact/batch/get_by_user", json=body)
    except WeComAPIError as exc:
        if exc.errcode == NO_CUSTOMERS:
            return ContactPage((), "")
        raise
    details = tuple(
        ContactDetail(_contact(item.get("external_contact") or {}), (_follow(info),))
        for item in _objects(result, "external_contact_list")
        if isinstance(info := item.get("follow_info"), Mapping)
    )
    return ContactPage(details, _text(result, "next_cursor"))


async def send_welcome(
    client: WeComClient, creds: AppCredentials, welcome_code: str, text: str
) -> WelcomeOutcome:
    body = {"welcome_code": welcome_code, "text": {"content": text}}
    try:
        await client.call(creds, "externalcontact/send_welcome_msg", json=body)
    except WeComAPIError as exc:
        if exc.errcode == WELCOME_ALREADY_SENT:
            return WelcomeOutcome.ALREADY_SENT
        if exc.errcode == WELCOME_OTHER_APP:
            return WelcomeOutcome.OTHER_APP
        raise
    return WelcomeOutcome.SENT


async def mark_tag(
    client: WeComClient,
    creds: AppCredentials,
    userid: str,
    external_userid: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> None:
    body = {
        "userid": userid,
        "external_userid": external_userid,
        "add_tag": list(add),
        "remove_tag": list(remove),
    }
    await client.call(creds, "externalcontact/mark_tag", json=body)


def _tag_group(group: Mapping[str, Any]) -> list[CorpTagInfo]:
    group_id, group_name = _text(group, "group_id"), _text(group, "group_name")
    return [
        CorpTagInfo(_text(tag, "id"), _text(tag, "name"), group_id, group_name, _int(tag, "order"))
        for tag in _objects(group, "tag")
        if not tag.get("deleted")
    ]


async def corp_tags(client: WeComClient, creds: AppCredentials) -> list[CorpTagInfo]:
    """The whole corp tag library, flattened."""
    result = await client.call(creds, "externalcontact/get_corp_tag_list", json={})
    return [tag for group in _objects(result, "tag_group") for tag in _tag_group(group)]


async def add_corp_tag(
    client: WeComClient, creds: AppCredentials, group_name: str, name: str
) -> CorpTagInfo:
    body = {"group_name": group_name, "tag": [{"name": name}], "agentid": creds.agent_id}
    result = await client.call(creds, "externalcontact/add_corp_tag", json=body)
    group = result.get("tag_group")
    tags = _tag_group(group) if isinstance(group, Mapping) else []
    created = next((tag for tag in tags if tag.name == name), None)
    if created is None:
        raise WeComAPIError("externalcontact/add_corp_tag", -1, "response has no such tag")
    return created


async def group_chat(client: WeComClient, creds: AppCredentials, chat_id: str) -> GroupChat:
    result = await client.call(
        creds, "externalcontact/groupchat/get", json={"chat_id": chat_id, "need_name": 1}
    )
    chat = result.get("group_chat")
    if not isinstance(chat, Mapping):
        raise WeComAPIError("externalcontact/groupchat/get", -1, "response has no group_chat")
    members = tuple(
        GroupMember(
            _text(m, "userid"), _int(m, "type"), _int(m, "join_time"), _int(m, "join_scene")
        )
        for m in _objects(chat, "member_list")
    )
    return GroupChat(
        chat_id=_text(chat, "chat_id") or chat_id,
        name=_text(chat, "name"),
        owner=_text(chat, "owner"),
        notice=_text(chat, "notice"),
        members=members,
    )


async def transfer_customers(
    client: WeComClient,
    creds: AppCredentials,
    handover: str,
    takeover: str,
    external_userids: Sequence[str],
    *,
    resigned: bool,
) -> dict[str, int]:
    """Start a handover of up to 100 customers; the errcode per customer (0: WeCom accepted
    the request, which the customer may still refuse)."""
    body: dict[str, Any] = {
        "handover_userid": handover,
        "takeover_userid": takeover,
        "external_userid": list(external_userids[:MAX_BATCH_USERS]),
    }
    api = (
        "externalcontact/resigned/transfer_customer"
        if resigned
        else "externalcontact/transfer_customer"
    )
    result = await client.call(creds, api, json=body)
    return {
        _text(item, "external_userid"): _int(item, "errcode")
        for item in _objects(result, "customer")
    }


@dataclass(frozen=True, slots=True)
class TransferState:
    """One customer's handover as transfer_result reports it."""

    external_userid: str
    status: int  # 1 done, 2 waiting, 3 refused by the customer, 4 takeover full, 5 no record
    takeover_time: int  # when it happened, or for a waiting one when WeCom will move them


async def transfer_states(
    client: WeComClient, creds: AppCredentials, handover: str, takeover: str, *, resigned: bool
) -> list[TransferState]:
    """Every handover from ``handover`` to ``takeover``, through all pages."""
    api = (
        "externalcontact/resigned/transfer_result"
        if resigned
        else "externalcontact/transfer_result"
    )
    states: list[TransferState] = []
    cursor = ""
    while True:
        body = {"handover_userid": handover, "takeover_userid": takeover, "cursor": cursor}
        result = await client.call(creds, api, json=body)
        states += [
            TransferState(
                _text(item, "external_userid"),
                _int(item, "status"),
                _int(item, "takeover_time"),
            )
            for item in _objects(result, "customer")
        ]
        cursor = _text(result, "next_cursor")
        if not cursor:
            return states


async def member_name(client: WeComClient, creds: AppCredentials, userid: str) -> str | None:
    """The member's name from the address book, or None when WeCom does not give it (outside
    the app's visibility, or an app WeCom no longer shows names to)."""
    result = await client.call(creds, "user/get", method="GET", params={"userid": userid})
    name = _text(result, "name")
    return name if name and name != userid else None
