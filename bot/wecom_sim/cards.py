"""Template-card button clicks in the simulator: the ResponseCode a click carries, and
``message/update_template_card`` that spends it.

WeCom gives each template_card_event a ResponseCode the app may use once, within 72 hours, to
update the card it came from (greying out the button with a new label); the simulator issues
one for every template_card_event it raises without one, and refuses a code that is unknown,
used or stale with 40058 (the code is a parameter WeCom will not take).

The control that clicks a button lives in ``cards_control``.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, check_agent, json_body

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
    check_agent(body, call.tenant)
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
