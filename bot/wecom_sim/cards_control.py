"""Clicking a template card's button in the simulator, as a member would in WeCom.

Control: ``POST /_sim/cards/{tenant_key}/click`` with ``{"userid", "task_id", "key"}`` clicks a
button of a template card that message/send delivered to that member (404 when no such card
or button was sent), raising the template_card_event WeCom would. Answer: the delivery result
and the ResponseCode issued.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.wecom_sim.callback import raise_callback
from bot.wecom_sim.state import SIM_STATE


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
