"""``externalcontact/add_msg_template`` as the simulator speaks it: a mass-send TASK that
reaches the customers only after the sending member confirms it in the WeCom client.

API: ``POST /cgi-bin/externalcontact/add_msg_template`` with ``chat_type`` (``single``),
``sender``, ``external_userid`` and ``text`` and/or ``attachments``. Customers the sender does
not have as contacts come back in ``fail_list``; an ``external_userid`` the corp has never
seen is 40096; a body without content or sender is 40058. Answer: ``msgid`` and
``fail_list``.

Control (JSON):

``GET /_sim/msg_templates/{tenant_key}``
    Every task, oldest first: ``{"msgid", "sender", "external_userid", "text",
    "attachments", "status": "waiting" | "sent", "created_at", "confirmed_at"}``.
``POST /_sim/msg_templates/{tenant_key}/{msgid}/confirm``
    The member taps 发送: the task is sent. 404 unknown task, 409 already sent.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body
from bot.wecom_sim.contact_book import SIM_CONTACTS
from bot.wecom_sim.state import SIM_STATE

MAX_CUSTOMERS = 10_000
MAX_TEXT_BYTES = 4000
WAITING, SENT = "waiting", "sent"


@dataclass(slots=True)
class SimMsgTask:
    msgid: str
    sender: str
    external_userid: list[str]
    text: str
    attachments: list[Any]
    created_at: str
    status: str = WAITING
    confirmed_at: str | None = None
    fail_list: list[str] = field(default_factory=list)


SIM_MSG_TASKS = web.AppKey("sim_msg_tasks", dict)


def _tasks(app: web.Application, tenant_key: str) -> dict[str, SimMsgTask]:
    tasks: dict[str, dict[str, SimMsgTask]] = app[SIM_MSG_TASKS]
    return tasks.setdefault(tenant_key, {})


async def _body(call: ApiCall) -> dict[str, Any]:
    return await json_body(call.request)


def _content(body: Mapping[str, Any]) -> tuple[str, list[Any]]:
    text = body.get("text") or {}
    content = text.get("content", "") if isinstance(text, Mapping) else None
    attachments = body.get("attachments") or []
    if not isinstance(content, str) or not isinstance(attachments, list):
        raise ApiError(40058, "invalid parameter")
    if not content and not attachments:
        raise ApiError(40058, "text or attachments required")
    if len(content.encode()) > MAX_TEXT_BYTES:
        raise ApiError(45002, "content size out of limit")
    return content, attachments


async def add_msg_template(call: ApiCall) -> dict[str, Any]:
    body = await _body(call)
    if body.get("chat_type", "single") != "single":
        raise ApiError(40058, "only single chats are simulated")
    sender = body.get("sender")
    customers = body.get("external_userid")
    if not isinstance(sender, str) or not sender:
        raise ApiError(40058, "sender required")
    if not isinstance(customers, list) or not 1 <= len(customers) <= MAX_CUSTOMERS:
        raise ApiError(40058, "invalid external_userid")
    text, attachments = _content(body)
    book = call.request.app[SIM_CONTACTS].book(call.tenant.key)
    if any(not isinstance(c, str) or c not in book.customers for c in customers):
        raise ApiError(40096, "invalid external userid")
    reachable = [c for c in customers if sender in book.customers[c].follows]
    failed = [c for c in customers if c not in reachable]
    msgid = "msg" + secrets.token_urlsafe(16)
    if reachable:
        now = call.state.clock.now().isoformat()
        task = SimMsgTask(msgid, sender, reachable, text, attachments, now, fail_list=failed)
        _tasks(call.request.app, call.tenant.key)[msgid] = task
    return {"fail_list": failed, "msgid": msgid if reachable else ""}


SURVEY_APIS: Mapping[str, ApiRoute] = {
    "externalcontact/add_msg_template": ApiRoute("POST", add_msg_template),
}


def _fail(message: str, error: type[web.HTTPError]) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _tenant_key(request: web.Request) -> str:
    key = request.match_info["tenant_key"]
    if key not in request.app[SIM_STATE].tenants:
        raise _fail(f"unknown tenant {key!r}", web.HTTPNotFound)
    return key


async def list_tasks(request: web.Request) -> web.Response:
    tasks = _tasks(request.app, _tenant_key(request))
    return web.json_response([asdict(task) for task in tasks.values()])


async def confirm_task(request: web.Request) -> web.Response:
    tasks = _tasks(request.app, _tenant_key(request))
    task = tasks.get(request.match_info["msgid"])
    if task is None:
        raise _fail("unknown msgid", web.HTTPNotFound)
    if task.status == SENT:
        raise _fail("the task was sent already", web.HTTPConflict)
    task.status = SENT
    task.confirmed_at = request.app[SIM_STATE].clock.now().isoformat()
    return web.json_response(asdict(task))


def add_survey_controls(app: web.Application) -> None:
    app[SIM_MSG_TASKS] = {}
    base = "/_sim/msg_templates/{tenant_key}"
    app.router.add_get(base, list_tasks)
    app.router.add_post(f"{base}/{{msgid}}/confirm", confirm_task)
