"""A fake telephony platform (a cloud call center) that reports calls to the bot's signed
webhook, ``POST /calls/{tenant_key}``, the way a real one would.

``POST /_sim/telephony/{tenant_key}/calls`` ``{"secret", "call_id", "from", "to", "agent",
"direction" ("in"), "talk" (seconds, 0: nobody answered), "ring" (seconds before the answer
or the hang-up, 10)}`` posts ``ringing``, then ``answered`` (when ``talk`` > 0), then
``ended``, each signed with ``secret`` and stamped with the simulator's clock; it answers the
bot's status for each event, in order.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.calls.webhook import SIGNATURE, TIMESTAMP, sign
from bot.wecom_sim.state import SIM_HTTP, SIM_STATE, SimTenant


def add_telephony_controls(app: web.Application) -> None:
    app.router.add_post("/_sim/telephony/{tenant_key}/calls", place_call)


def _fail(message: str, error: type[web.HTTPError] = web.HTTPBadRequest) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _events(body: dict[str, Any], now_iso: Any) -> list[dict[str, Any]]:
    ring, talk = int(body.get("ring", 10)), int(body.get("talk", 0))
    base = {
        "call_id": str(body["call_id"]),
        "direction": str(body.get("direction", "in")),
        "from": str(body.get("from", "")),
        "to": str(body.get("to", "")),
        "agent": str(body.get("agent", "")),
        "ring_at": now_iso(0),
    }
    events = [{**base, "event": "ringing"}]
    if talk > 0:
        answered = {**base, "answer_at": now_iso(ring)}
        events.append({**answered, "event": "answered"})
        events.append({**answered, "event": "ended", "end_at": now_iso(ring + talk)})
    else:
        events.append({**base, "event": "ended", "end_at": now_iso(ring)})
    return events


def _webhook_url(tenant: SimTenant) -> str:
    parts = urlsplit(tenant.callback_url)
    return f"{parts.scheme}://{parts.netloc}/calls/{tenant.key}"


async def place_call(request: web.Request) -> web.Response:
    state = request.app[SIM_STATE]
    tenant = state.tenants.get(request.match_info["tenant_key"])
    if tenant is None:
        raise _fail("unknown tenant", web.HTTPNotFound)
    try:
        body = await request.json()
        secret = str(body["secret"])
        now = state.clock.now()
        events = _events(body, lambda s: (now + timedelta(seconds=s)).isoformat())
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail("needs secret, call_id, from, to, agent; talk and ring in seconds") from exc
    statuses = []
    for event in events:
        raw = json.dumps(event).encode()
        stamp = str(int(state.clock.now().timestamp()))
        headers = {TIMESTAMP: stamp, SIGNATURE: sign(secret, stamp, raw)}
        async with request.app[SIM_HTTP].post(
            _webhook_url(tenant), data=raw, headers=headers
        ) as answer:
            statuses.append(answer.status)
    return web.json_response({"statuses": statuses})
