"""公费电话 in the simulator: ``dial/get_dial_record`` with WeCom's semantics, and control
endpoints (``/_sim/dial/{tenant_key}/...``) to place calls.

``get_dial_record`` ``{"start_time", "end_time", "offset", "limit"}`` (Unix seconds): only
connected calls are returned (a call placed with ``connected: false`` is invisible, as WeCom
hides missed calls); the range is closed; ``end_time`` before ``start_time`` answers 600018
(无效的起止时间); a span over 30 days keeps the 30 days before ``end_time``; no times means
the last 30 days; ``limit`` defaults to 100 and anything above counts as 100; offset paging,
oldest first. 48002 while the app is not allowed (「公费电话 - 可调用接口的应用」). Records
have no id: ``call_time``, ``total_duration`` (seconds), ``call_type`` 1 单人 / 2 多人,
``caller {userid, duration}``, ``callee [{phone | userid, duration}]`` with ``phone`` a JSON
number, as WeCom's example shows.

Control:
``POST .../calls`` ``{"caller", "callee": [{"phone" | "userid", "duration"}], "call_time"
    (seconds; now), "connected" (true)}``
``PUT .../permission`` ``{"allowed": bool}``
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body
from bot.wecom_sim.state import SIM_STATE

WINDOW = 30 * 86400
MAX_LIMIT = 100
BAD_RANGE = 600018


@dataclass
class SimDialCalls:
    records: list[dict[str, Any]] = field(default_factory=list)  # with "connected"
    allowed: bool = True


class SimDial:
    def __init__(self) -> None:
        self.tenants: dict[str, SimDialCalls] = {}

    def of(self, tenant_key: str) -> SimDialCalls:
        return self.tenants.setdefault(tenant_key, SimDialCalls())


SIM_DIAL = web.AppKey("sim_dial", SimDial)


def _int(body: Mapping[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(40058, f"invalid {name}")
    return value


async def get_dial_record(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    calls = call.request.app[SIM_DIAL].of(call.tenant.key)
    if not calls.allowed:
        raise ApiError(48002, "api forbidden")
    now = int(call.request.app[SIM_STATE].clock.now().timestamp())
    end = _int(body, "end_time", now)
    start = _int(body, "start_time", end - WINDOW)
    if end < start:
        raise ApiError(BAD_RANGE, "invalid start_time or end_time")
    start = max(start, end - WINDOW)
    offset, limit = _int(body, "offset", 0), min(_int(body, "limit", MAX_LIMIT) or MAX_LIMIT, 100)
    found = [
        {k: v for k, v in r.items() if k != "connected"}
        for r in calls.records
        if r["connected"] and start <= r["call_time"] <= end
    ]
    found.sort(key=lambda r: r["call_time"])
    return {"record": found[offset : offset + limit]}


DIAL_APIS: Mapping[str, ApiRoute] = {
    "dial/get_dial_record": ApiRoute("POST", get_dial_record),
}


def add_dial_controls(app: web.Application) -> None:
    app[SIM_DIAL] = SimDial()
    base = "/_sim/dial/{tenant_key}"
    app.router.add_post(f"{base}/calls", place_call)
    app.router.add_put(f"{base}/permission", set_permission)


def _fail(message: str, error: type[web.HTTPError] = web.HTTPBadRequest) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _calls(request: web.Request) -> SimDialCalls:
    key = request.match_info["tenant_key"]
    if key not in request.app[SIM_STATE].tenants:
        raise _fail(f"unknown tenant {key!r}", web.HTTPNotFound)
    return request.app[SIM_DIAL].of(key)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise _fail("the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail("the body must be a JSON object")
    return body


def _callee(leg: Any) -> dict[str, Any]:
    if not isinstance(leg, dict) or not isinstance(leg.get("duration", 0), int):
        raise _fail("each callee is {phone | userid, duration}")
    if "phone" in leg:
        return {"phone": int(str(leg["phone"])), "duration": leg.get("duration", 0)}
    return {"userid": str(leg.get("userid", "")), "duration": leg.get("duration", 0)}


async def place_call(request: web.Request) -> web.Response:
    calls = _calls(request)
    body = await _body(request)
    callee = body.get("callee")
    if not isinstance(callee, list) or not callee:
        raise _fail("callee must be a non-empty list")
    legs = [_callee(leg) for leg in callee]
    now = int(request.app[SIM_STATE].clock.now().timestamp())
    longest = max(leg["duration"] for leg in legs)
    record = {
        "call_time": int(body.get("call_time", now)),
        "total_duration": longest,
        "call_type": 1 if len(legs) == 1 else 2,
        "caller": {"userid": str(body.get("caller", "")), "duration": longest},
        "callee": legs,
        "connected": bool(body.get("connected", True)),
    }
    calls.records.append(record)
    return web.json_response(record)


async def set_permission(request: web.Request) -> web.Response:
    calls = _calls(request)
    allowed = (await _body(request)).get("allowed")
    if not isinstance(allowed, bool):
        raise _fail("allowed must be true or false")
    calls.allowed = allowed
    return web.json_response({"allowed": allowed})
