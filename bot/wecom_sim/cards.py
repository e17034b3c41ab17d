"""Template-card button clicks in the simulator: the ResponseCode a click carries, and
``message/update_template_card`` that spends it.

WeCom gives each template_card_event a ResponseCode the app may use once, within 72 hours, to
update the card it came from (greying out the button with a new label); the simulator issues
one for every template_card_event it raises without one, and refuses a code that is unknown,
used or stale with 40058 (the code is a parameter WeCom will not take).

Control: ``POST /_sim/cards/{tenant_key}/click`` with ``{"userid", "task_id", "key"}`` clicks a
button of a template card that message/send delivered to that member (404 when no such card
or button was sent), raising the template_card_event WeCom would. Answer: the delivery result
and the ResponseCode issued.
"""

from __future__ import annotations

import json
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.wecom_sim.api import ApiCall, ApiError, ApiRoute, _check_agent, json_body
from bot.wecom_sim.state import SIM_STATE

CODE_LIFETIME = timedelta(hours=72)
CODES_KEPT = 10_000  # the oldest are forgotten first: a bounded table, like WeCom's window
CARD_EVENTS = frozenset({"template_card_event"})


class CardCodes:
    def __init__(self) -> None:
        self._issued: OrderedDict[str, datetime] = OrderedDict()

    def issue(self, now: datetime) -> str:
        code = secrets.token_urlsafe(24)
        self._issued[code] = now
        while len(self._issued) > CODES_KEPT:
            self._issued.popitem(last=False)
        return code

    def spend(self, code: str, now: datetime) -> bool:
        """True once per code, within its lifetime."""
        issued = self._issued.pop(code, None)
        return issued is not None and now - issued <= CODE_LIFETIME


CARD_CODES = web.AppKey("sim_card_codes", CardCodes)


def with_response_code(
    app: web.Application, fields: Mapping[str, Any], now: datetime
) -> Mapping[str, Any]:
    """A card click gets the ResponseCode WeCom would attach, unless the caller gave one."""
    if fields.get("Event") not in CARD_EVENTS or "ResponseCode" in fields:
        return fields
    return {**fields, "ResponseCode": app[CARD_CODES].issue(now)}


async def update_template_card(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    _check_agent(body, call.tenant)
    users = body.get("userids")
    button = body.get("button")
    if not isinstance(users, list) or not users or not all(isinstance(u, str) for u in users):
        raise ApiError(81013, "user & party & tag all invalid")
    if not isinstance(button, Mapping) or not str(button.get("replace_name") or ""):
        raise ApiError(40058, "invalid parameter: button.replace_name")
    now = call.state.clock.now()
    if not call.request.app[CARD_CODES].spend(str(body.get("response_code", "")), now):
        raise ApiError(40058, "invalid parameter: response_code unknown, used or expired")
    call.state.sent.append(call.name, body, now)
    return {"invaliduser": []}


CARD_APIS: Mapping[str, ApiRoute] = {
    "message/update_template_card": ApiRoute("POST", update_template_card),
}


def add_card_controls(app: web.Application) -> None:
    app.router.add_post("/_sim/cards/{tenant_key}/click", click_card)


def _control_error(status: type[web.HTTPError], message: str) -> web.HTTPError:
    return status(text=json.dumps({"error": message}), content_type="application/json")


def _sent_card(
    records: list[dict[str, Any]], userid: str, task_id: str
) -> Mapping[str, Any] | None:
    """The newest template card with ``task_id`` that message/send delivered to ``userid``."""
    for record in reversed(records):
        body = record["body"]
        card = body.get("template_card")
        if record["api"] != "message/send" or record["dropped"] or not isinstance(card, Mapping):
            continue
        if card.get("task_id") == task_id and userid in str(body.get("touser", "")).split("|"):
            return card
    return None


async def click_card(request: web.Request) -> web.Response:
    from bot.wecom_sim.callback import raise_callback  # it imports this module

    state = request.app[SIM_STATE]
    tenant = state.tenants.get(request.match_info["tenant_key"])
    if tenant is None:
        raise _control_error(web.HTTPNotFound, "unknown tenant")
    try:
        body = await request.json()
        userid, task_id, key = (str(body[name]) for name in ("userid", "task_id", "key"))
    except (ValueError, KeyError, TypeError) as exc:
        raise _control_error(web.HTTPBadRequest, "need userid, task_id and key") from exc
    card = _sent_card(state.sent.since(0), userid, task_id)
    buttons = card.get("button_list", []) if card else []
    if card is None or not any(b.get("key") == key for b in buttons if isinstance(b, Mapping)):
        raise _control_error(web.HTTPNotFound, f"no card {task_id} with button {key} for {userid}")
    fields = {
        "MsgType": "event",
        "Event": "template_card_event",
        "FromUserName": userid,
        "EventKey": key,
        "TaskId": task_id,
        "CardType": str(card.get("card_type", "")),
    }
    message, result = await raise_callback(request.app, tenant, fields)
    return web.json_response(
        {
            "status": result.status,
            "attempts": result.attempts,
            "response_code": message["ResponseCode"],
        }
    )
