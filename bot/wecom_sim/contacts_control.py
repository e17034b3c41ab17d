"""Control endpoints for the simulator's customer contacts: seed customers, tags and groups,
play what customers do (add a member, delete one, accept or refuse a handover) with the
callbacks WeCom would send, and turn the test knobs. Each endpoint's docstring says what it
takes; the README's simulator section lists them all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.wecom_sim.callback import InvalidCallbackFields, raise_callback
from bot.wecom_sim.contact_book import (
    SIM_CONTACTS,
    TRANSFER_DONE,
    TRANSFER_STATUS_OF_FAILURE,
    ContactBook,
    SimChat,
    SimContacts,
    SimCustomer,
    SimFollow,
    SimTag,
    SimTagGroup,
    new_id,
)
from bot.wecom_sim.directory import ROOT, SIM_DIRECTORY, SimMember
from bot.wecom_sim.state import SIM_STATE, SimTenant

FAIL_REASONS = tuple(TRANSFER_STATUS_OF_FAILURE)


def add_contact_controls(app: web.Application, tenant_keys: list[str]) -> None:
    app[SIM_CONTACTS] = SimContacts(tenant_keys)
    base = "/_sim/contacts/{tenant_key}"
    app.router.add_post(f"{base}/customers", seed_customer)
    app.router.add_post(f"{base}/add", add_contact)
    app.router.add_post(f"{base}/remove", remove_contact)
    app.router.add_post(f"{base}/tags", seed_tags)
    app.router.add_post(f"{base}/members", put_member)
    app.router.add_put(f"{base}/groupchats/{{chat_id}}", put_chat)
    app.router.add_post(f"{base}/transfers/settle", settle_transfer)
    app.router.add_get("/_sim/contacts/calls", list_calls)
    app.router.add_delete("/_sim/contacts/calls", clear_calls)
    app.router.add_post("/_sim/contacts/faults", inject_fault)
    app.router.add_post("/_sim/contacts/limits", set_limits)


def _fail(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object")
    return body


async def _request(request: web.Request) -> tuple[SimTenant, ContactBook, dict[str, Any]]:
    key = request.match_info["tenant_key"]
    tenant = request.app[SIM_STATE].tenants.get(key)
    if tenant is None:
        raise _fail(web.HTTPNotFound, f"unknown tenant {key!r}")
    return tenant, request.app[SIM_CONTACTS].book(key), await _json(request)


def _required(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise _fail(web.HTTPBadRequest, f"{name} (a non-empty string) is required")
    return value


def _now(request: web.Request) -> int:
    return int(request.app[SIM_STATE].clock.now().timestamp())


async def _raise_event(
    request: web.Request, tenant: SimTenant, fields: dict[str, Any]
) -> dict[str, Any]:
    """Deliver a customer-contact callback exactly as ``POST /_sim/callback`` would."""
    event = {"MsgType": "event", "FromUserName": "sys", **fields}
    try:
        _, result = await raise_callback(request.app, tenant, event)
    except InvalidCallbackFields as exc:
        raise _fail(web.HTTPBadRequest, str(exc)) from exc
    return {"status": result.status, "attempts": result.attempts}


def _customer(book: ContactBook, body: Mapping[str, Any]) -> SimCustomer:
    external_userid = body.get("external_userid") or new_id("wm")
    customer = book.customers.get(external_userid)
    if customer is None:
        customer = SimCustomer(str(external_userid), _required(body, "name"))
        book.customers[customer.external_userid] = customer
    for name in ("name", "corp_name", "avatar"):
        if isinstance(body.get(name), str):
            setattr(customer, name, body[name])
    customer.kind = int(body.get("type", customer.kind))
    customer.gender = int(body.get("gender", customer.gender))
    return customer


def _follow(body: Mapping[str, Any], now: int) -> SimFollow:
    return SimFollow(
        userid=_required(body, "userid"),
        createtime=int(body.get("createtime", now)),
        remark=str(body.get("remark", "")),
        add_way=int(body.get("add_way", 1)),
        state=str(body.get("state", "")),
        remark_corp_name=str(body.get("remark_corp_name", "")),
        remark_mobiles=[str(m) for m in body.get("remark_mobiles", [])],
        tag_ids=[str(t) for t in body.get("tag_ids", [])],
    )


async def seed_customer(request: web.Request) -> web.Response:
    """A customer who already follows members; no callback (as if added before the bot)."""
    _, book, body = await _request(request)
    customer = _customer(book, body)
    for follow in body.get("follow_users", []):
        customer.follows[_required(follow, "userid")] = _follow(follow, _now(request))
    return web.json_response({"external_userid": customer.external_userid})


async def add_contact(request: web.Request) -> web.Response:
    """The customer adds member ``userid``: add_external_contact (add_half_external_contact
    with ``"half": true``) with a fresh WelcomeCode unless ``"welcome_code": false``."""
    tenant, book, body = await _request(request)
    customer = _customer(book, body)
    follow = _follow(body, _now(request))
    customer.follows[follow.userid] = follow
    fields: dict[str, Any] = {
        "Event": "change_external_contact",
        "ChangeType": "add_half_external_contact" if body.get("half") else "add_external_contact",
        "UserID": follow.userid,
        "ExternalUserID": customer.external_userid,
        "State": follow.state,
    }
    code = None
    if body.get("welcome_code", True):
        code = book.issue_welcome_code(request.app[SIM_STATE].clock.now())
        fields["WelcomeCode"] = code
    if "create_time" in body:
        fields["CreateTime"] = int(body["create_time"])
    answer = await _raise_event(request, tenant, fields)
    return web.json_response(
        {**answer, "external_userid": customer.external_userid, "welcome_code": code}
    )


async def remove_contact(request: web.Request) -> web.Response:
    """``"by": "customer"`` deletes the member (del_follow_user); ``"employee"`` deletes the
    customer (del_external_contact)."""
    tenant, book, body = await _request(request)
    userid, external_userid = _required(body, "userid"), _required(body, "external_userid")
    customer = book.customers.get(external_userid)
    if customer is None or customer.follows.pop(userid, None) is None:
        raise _fail(web.HTTPNotFound, f"{external_userid} is not a customer of {userid}")
    by_customer = body.get("by", "customer") == "customer"
    change = "del_follow_user" if by_customer else "del_external_contact"
    fields = {"Event": "change_external_contact", "ChangeType": change, "UserID": userid}
    return web.json_response(
        await _raise_event(request, tenant, {**fields, "ExternalUserID": external_userid})
    )


async def seed_tags(request: web.Request) -> web.Response:
    """Add tags to a group (created by name if new); ``"notify": true`` also raises the
    change_external_tag create callback."""
    tenant, book, body = await _request(request)
    group_name, now = _required(body, "group_name"), _now(request)
    group = next((g for g in book.tag_groups.values() if g.group_name == group_name), None)
    if group is None:
        group = SimTagGroup(new_id("et"), group_name, now)
        book.tag_groups[group.group_id] = group
    for name in body.get("tags", []):
        if not any(t.name == name for t in group.tags):
            group.tags.append(SimTag(new_id("et"), str(name), now))
    answer: dict[str, Any] = {
        "group_id": group.group_id,
        "tags": {t.name: t.tag_id for t in group.tags},
    }
    if body.get("notify"):
        fields = {"Event": "change_external_tag", "ChangeType": "create", "Id": group.group_id}
        answer["event"] = await _raise_event(request, tenant, {**fields, "TagType": "tag_group"})
    return web.json_response(answer)


async def put_member(request: web.Request) -> web.Response:
    """Add or rename a member of the address book (``bot.wecom_sim.directory`` has the
    whole of it); ``"notify": true`` also raises the
    change_contact callback (create_user or update_user) carrying the name."""
    tenant, _, body = await _request(request)
    userid, name = _required(body, "userid"), _required(body, "name")
    directory = request.app[SIM_DIRECTORY].book(tenant.key)
    known = directory.members.get(userid)
    departments = known.departments if known else [ROOT]
    change = directory.add_member(SimMember(userid, name, departments))
    answer: dict[str, Any] = {"userid": userid, "change_type": change}
    if body.get("notify"):
        fields = {"Event": "change_contact", "ChangeType": change, "UserID": userid, "Name": name}
        answer["event"] = await _raise_event(request, tenant, fields)
    return web.json_response(answer)


async def put_chat(request: web.Request) -> web.Response:
    """Create or replace a customer group. No callback: raise change_external_chat with
    ``POST /_sim/callback``, which delivers any event from its fields."""
    _, book, body = await _request(request)
    chat_id = request.match_info["chat_id"]
    members = [m for m in body.get("members", []) if isinstance(m, dict)]
    for member in members:
        member.setdefault("join_time", _now(request))
        member.setdefault("join_scene", 1)
    book.chats[chat_id] = SimChat(
        chat_id,
        str(body.get("name", "")),
        _required(body, "owner"),
        str(body.get("notice", "")),
        _now(request),
        members,
    )
    return web.json_response({"chat_id": chat_id})


async def settle_transfer(request: web.Request) -> web.Response:
    """The customer's answer to a pending handover: ``accepted`` moves them to the new member
    (del_external_contact with Source DELETE_BY_TRANSFER, then add_external_contact), a
    FailReason raises transfer_fail. ``"callbacks": false`` settles it without telling the
    bot, as when WeCom sends no event (the takeover already had the customer), so only
    transfer_result knows."""
    tenant, book, body = await _request(request)
    external_userid, outcome = _required(body, "external_userid"), _required(body, "outcome")
    transfer = book.transfers.pop(external_userid, None)
    if transfer is None:
        raise _fail(web.HTTPNotFound, f"no pending handover of {external_userid}")
    tell_bot = bool(body.get("callbacks", True))
    contact = {"Event": "change_external_contact", "ExternalUserID": external_userid}
    if outcome in FAIL_REASONS:
        book.record_transfer(transfer, TRANSFER_STATUS_OF_FAILURE[outcome], 0)
        fields = {"ChangeType": "transfer_fail", "UserID": transfer.takeover, "FailReason": outcome}
        events = [await _raise_event(request, tenant, {**contact, **fields})] if tell_bot else []
        return web.json_response({"events": events})
    book.record_transfer(transfer, TRANSFER_DONE, _now(request))
    customer = book.customers[external_userid]
    old = customer.follows.pop(transfer.handover)
    customer.follows[transfer.takeover] = SimFollow(transfer.takeover, _now(request), add_way=202)
    customer.follows[transfer.takeover].tag_ids = old.tag_ids
    removed = {
        "ChangeType": "del_external_contact",
        "UserID": transfer.handover,
        "Source": "DELETE_BY_TRANSFER",
    }
    added = {"ChangeType": "add_external_contact", "UserID": transfer.takeover}
    events = []
    if tell_bot:
        events = [
            await _raise_event(request, tenant, {**contact, **removed}),
            await _raise_event(request, tenant, {**contact, **added}),
        ]
    return web.json_response({"events": events})


async def list_calls(request: web.Request) -> web.Response:
    api = request.query.get("api")
    calls = request.app[SIM_CONTACTS].calls
    return web.json_response(
        [{"api": c.api, "body": c.body, "at": c.at} for c in calls if api is None or c.api == api]
    )


async def clear_calls(request: web.Request) -> web.Response:
    calls = request.app[SIM_CONTACTS].calls
    cleared = len(calls)
    calls.clear()
    return web.json_response({"cleared": cleared})


async def inject_fault(request: web.Request) -> web.Response:
    """After ``after`` more calls of ``api`` (default 0), the next ``times`` answer
    ``errcode``."""
    body = await _json(request)
    api, errcode = _required(body, "api"), body.get("errcode")
    times, after = body.get("times", 1), body.get("after", 0)
    counts = (times, after)
    if not isinstance(errcode, int) or not all(isinstance(n, int) and n >= 0 for n in counts):
        raise _fail(web.HTTPBadRequest, "errcode, times and after must be integers >= 0")
    request.app[SIM_CONTACTS].inject(api, errcode, times, after)
    return web.json_response({"api": api, "errcode": errcode, "times": times, "after": after})


async def set_limits(request: web.Request) -> web.Response:
    """``batch_concurrency``: calls of batch/get_by_user a tenant may have in flight before
    45033; ``batch_latency``: seconds each such call takes. Answers the limits and the most
    calls seen in flight at once per tenant."""
    body, contacts = await _json(request), request.app[SIM_CONTACTS]
    if "batch_concurrency" in body:
        contacts.batch_concurrency = int(body["batch_concurrency"])
    if "batch_latency" in body:
        contacts.batch_latency = float(body["batch_latency"])
    return web.json_response(
        {
            "batch_concurrency": contacts.batch_concurrency,
            "batch_latency": contacts.batch_latency,
            "max_in_flight": dict(contacts.max_in_flight),
        }
    )
