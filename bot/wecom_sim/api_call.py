"""What a simulated token-protected API is handed and may raise, and the checks several share.

An API is an ``async def handler(call: ApiCall) -> dict`` that returns the success fields
(``errcode``/``errmsg`` are added) or raises ``ApiError``; each module lists its own in a table
of ``ApiRoute`` that ``api.add_api_routes`` mounts behind the token and frequency checks.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.wecom_sim.messages import MESSAGE_VALIDATORS
from bot.wecom_sim.state import SimState, SimTenant

ApiHandler = Callable[["ApiCall"], Awaitable[dict[str, Any]]]


class ApiError(Exception):
    """A WeCom error answer: HTTP 200 with a non-zero errcode, as the real API does."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg

    def payload(self) -> dict[str, Any]:
        hint = f"more info at https://open.work.weixin.qq.com/devtool/query?e={self.errcode}"
        return {"errcode": self.errcode, "errmsg": f"{self.errmsg}, {hint}"}


@dataclass(frozen=True, slots=True)
class ApiCall:
    name: str
    request: web.Request
    state: SimState
    tenant: SimTenant


@dataclass(frozen=True, slots=True)
class ApiRoute:
    method: str
    handler: ApiHandler


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(47001, "data format error") from exc
    if not isinstance(body, dict):
        raise ApiError(47001, "data format error")
    return body


def check_agent(body: Mapping[str, Any], tenant: SimTenant) -> None:
    # WeCom accepts the agent id as a number or a numeric string.
    if str(body.get("agentid", "")).strip() != str(tenant.agent_id):
        raise ApiError(40056, "invalid agentid")


def check_message(call: ApiCall, body: Mapping[str, Any]) -> None:
    """A known msgtype whose content WeCom would accept (app group chats check the same)."""
    validate = MESSAGE_VALIDATORS.get(str(body.get("msgtype", "")))
    if validate is None:
        raise ApiError(40008, "invalid message type")
    problem = validate(body.get(body["msgtype"]), call.state.media.is_valid)
    if problem is not None:
        raise ApiError(*problem)
