"""The customer-contact APIs (客户联系) as the simulator speaks them.

Every call is recorded in the contact call log (``GET /_sim/contacts/calls``); a fault
injected for an API (``POST /_sim/contacts/faults``) is answered before the API runs.
Errors: 84061 the customer is not a contact of that member, 40068 unknown tag id, 40050
unknown group chat, 41051 a welcome code that is unknown, used or past its 20 seconds,
45033 more ``batch/get_by_user`` calls in flight than the limit, 40058 bad parameters.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body
from bot.wecom_sim.contact_book import (
    AUTO_TAKEOVER_SECONDS,
    SIM_CONTACTS,
    TRANSFER_WAITING,
    ContactBook,
    SimContacts,
    SimTag,
    SimTagGroup,
    SimTransfer,
    new_id,
)

MAX_WELCOME_BYTES = 4000
MAX_PAGE = 100
DEFAULT_PAGE = 50
MAX_USERS = 100
ContactHandler = Callable[[ApiCall, dict[str, Any]], Awaitable[dict[str, Any]]]


def _contacts(call: ApiCall) -> SimContacts:
    return call.request.app[SIM_CONTACTS]


def _book(call: ApiCall) -> ContactBook:
    return _contacts(call).book(call.tenant.key)


async def _body(call: ApiCall) -> dict[str, Any]:
    if call.request.method == "GET":
        return dict(call.request.query)
    return await json_body(call.request)


def _route(method: str, handler: ContactHandler) -> ApiRoute:
    """Records the call and answers an injected fault before the handler runs."""

    async def run(call: ApiCall) -> dict[str, Any]:
        body = await _body(call)
        body.pop("access_token", None)
        contacts = _contacts(call)
        contacts.record(call.name, body, call.state.clock.now())
        fault = contacts.next_fault(call.name)
        if fault is not None:
            raise ApiError(fault, "injected by the simulator")
        return await handler(call, body)

    return ApiRoute(method, run)


def _strings(body: Mapping[str, Any], name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(40058, f"invalid parameter {name}")
    return value


async def get_contact(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    customer = _book(call).customers.get(str(body.get("external_userid", "")))
    if customer is None or not customer.follows:
        raise ApiError(84061, "not external contact")
    follows = []
    for follow in customer.follows.values():
        tags = [_book(call).tag(tag_id) for tag_id in follow.tag_ids]
        tag_json = [{"tag_id": t.tag_id, "tag_name": t.name, "type": 1} for t in tags if t]
        follows.append({**follow.as_json(), "tags": tag_json})
    return {"external_contact": customer.as_json(), "follow_user": follows}


async def follow_user_list(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    return {"follow_user": _book(call).follow_users()}


def _page_bounds(body: Mapping[str, Any]) -> tuple[int, int]:
    cursor, limit = body.get("cursor") or "", body.get("limit", DEFAULT_PAGE)
    if not isinstance(limit, int) or limit < 1:
        raise ApiError(40058, "invalid parameter limit")
    if cursor and not (isinstance(cursor, str) and cursor.startswith("c") and cursor[1:].isdigit()):
        raise ApiError(40058, "invalid cursor")
    return (int(cursor[1:]) if cursor else 0), min(limit, MAX_PAGE)


async def batch_get_by_user(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    contacts = _contacts(call)
    userids = _strings(body, "userid_list")
    if not 1 <= len(userids) <= MAX_USERS:
        raise ApiError(40058, "userid_list must hold 1 to 100 members")
    start, limit = _page_bounds(body)
    if contacts.in_flight[call.tenant.key] >= contacts.batch_concurrency:
        raise ApiError(45033, "api concurrent out of limit")
    contacts.in_flight[call.tenant.key] += 1
    current = contacts.in_flight[call.tenant.key]
    contacts.max_in_flight[call.tenant.key] = max(contacts.max_in_flight[call.tenant.key], current)
    try:
        await asyncio.sleep(contacts.batch_latency)  # the time a call counts as in flight
    finally:
        contacts.in_flight[call.tenant.key] -= 1
    pairs = _book(call).pairs_of(userids)
    page = pairs[start : start + limit]
    items = [
        {"external_contact": c.as_json(), "follow_info": {**f.as_json(), "tag_id": f.tag_ids}}
        for c, f in page
    ]
    more = start + limit < len(pairs)
    return {"external_contact_list": items, "next_cursor": f"c{start + limit}" if more else ""}


async def send_welcome_msg(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    text = body.get("text")
    content = text.get("content") if isinstance(text, Mapping) else None
    if not isinstance(content, str) or not content:
        raise ApiError(44004, "empty content")
    if len(content.encode()) > MAX_WELCOME_BYTES:
        raise ApiError(45002, "content size out of limit")
    now = call.state.clock.now()
    if not _book(call).use_welcome_code(str(body.get("welcome_code", "")), now):
        raise ApiError(41051, "externaluser has started chatting")
    call.state.sent.append(call.name, body, now)
    return {}


async def mark_tag(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    book = _book(call)
    customer = book.customers.get(str(body.get("external_userid", "")))
    follow = customer.follows.get(str(body.get("userid", ""))) if customer else None
    if follow is None:
        raise ApiError(84061, "not external contact")
    add, remove = _strings(body, "add_tag"), _strings(body, "remove_tag")
    if not add and not remove:
        raise ApiError(40058, "add_tag and remove_tag are both empty")
    if any(book.tag(tag_id) is None for tag_id in add + remove):
        raise ApiError(40068, "invalid tagid")
    kept = [t for t in follow.tag_ids if t not in remove]
    follow.tag_ids = kept + [t for t in add if t not in kept]
    return {}


async def get_corp_tag_list(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    wanted = set(_strings(body, "tag_id")) or None
    groups = sorted(_book(call).tag_groups.values(), key=lambda g: -g.order)
    return {"tag_group": [g.as_json(wanted) for g in groups]}


async def add_corp_tag(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    book, now = _book(call), int(call.state.clock.now().timestamp())
    names = [t.get("name") for t in body.get("tag", []) if isinstance(t, Mapping)]
    if not names or not all(isinstance(n, str) and 0 < len(n) <= 30 for n in names):
        raise ApiError(40058, "invalid tag name")
    group = book.tag_groups.get(str(body.get("group_id", "")))
    if group is None:
        group_name = str(body.get("group_name", ""))
        if not group_name:
            raise ApiError(40058, "group_id or group_name required")
        group = next((g for g in book.tag_groups.values() if g.group_name == group_name), None)
        group = group or SimTagGroup(new_id("et"), group_name, now)
        book.tag_groups[group.group_id] = group
    touched = set()
    for name in names:
        tag = next((t for t in group.tags if t.name == name), None)
        if tag is None:  # an existing name in the group comes back with its id
            tag = SimTag(new_id("et"), str(name), now)
            group.tags.append(tag)
        touched.add(tag.tag_id)
    return {"tag_group": group.as_json(touched)}


async def groupchat_get(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    chat = _book(call).chats.get(str(body.get("chat_id", "")))
    if chat is None:
        raise ApiError(40050, "chatid not found")
    return {
        "group_chat": {
            "chat_id": chat.chat_id,
            "name": chat.name,
            "owner": chat.owner,
            "create_time": chat.create_time,
            "notice": chat.notice,
            "member_list": chat.members,
            "admin_list": [],
        }
    }


async def transfer_customer(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    book = _book(call)
    handover, takeover = str(body.get("handover_userid", "")), str(body.get("takeover_userid", ""))
    external_userids = _strings(body, "external_userid")
    if not handover or not takeover or not 1 <= len(external_userids) <= MAX_USERS:
        raise ApiError(40058, "invalid parameter")
    answers = []
    for external_userid in external_userids:
        customer = book.customers.get(external_userid)
        errcode = 0 if customer and handover in customer.follows else 84061
        if errcode == 0:
            transfer = SimTransfer(external_userid, handover, takeover)
            book.transfers[external_userid] = transfer
            due = int(call.state.clock.now().timestamp()) + AUTO_TAKEOVER_SECONDS
            book.record_transfer(transfer, TRANSFER_WAITING, due)
        answers.append({"external_userid": external_userid, "errcode": errcode})
    return {"customer": answers}


TRANSFER_RESULT_PAGE = 1000  # WeCom's page size for transfer_result


async def transfer_result(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    """How each handover from ``handover_userid`` to ``takeover_userid`` went, paged by an
    offset cursor."""
    handover, takeover = str(body.get("handover_userid", "")), str(body.get("takeover_userid", ""))
    if not handover or not takeover:
        raise ApiError(40058, "invalid parameter")
    results = sorted(_book(call).transfer_results.get((handover, takeover), {}).items())
    start = int(body.get("cursor") or 0)
    page = results[start : start + TRANSFER_RESULT_PAGE]
    more = start + TRANSFER_RESULT_PAGE < len(results)
    return {
        "customer": [
            {"external_userid": external, "status": status, "takeover_time": at}
            for external, (status, at) in page
        ],
        "next_cursor": str(start + TRANSFER_RESULT_PAGE) if more else "",
    }


CONTACT_APIS: Mapping[str, ApiRoute] = {
    "externalcontact/get": _route("GET", get_contact),
    "externalcontact/get_follow_user_list": _route("GET", follow_user_list),
    "externalcontact/batch/get_by_user": _route("POST", batch_get_by_user),
    "externalcontact/send_welcome_msg": _route("POST", send_welcome_msg),
    "externalcontact/mark_tag": _route("POST", mark_tag),
    "externalcontact/get_corp_tag_list": _route("POST", get_corp_tag_list),
    "externalcontact/add_corp_tag": _route("POST", add_corp_tag),
    "externalcontact/groupchat/get": _route("POST", groupchat_get),
    "externalcontact/transfer_customer": _route("POST", transfer_customer),
    "externalcontact/resigned/transfer_customer": _route("POST", transfer_customer),
    "externalcontact/transfer_result": _route("POST", transfer_result),
    "externalcontact/resigned/transfer_result": _route("POST", transfer_result),
}
