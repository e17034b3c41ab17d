"""``oa/schedule/add|update|del`` as the simulator speaks them: entries on members' WeCom
calendars (doc path/93703).

``add`` takes ``{"schedule": {attendees: [{userid}], start_time, end_time, summary ≤ 128,
description ≤ 1000, location ≤ 128, reminders: {is_remind, remind_before_event_secs,
remind_time_diffs}}}`` and answers ``schedule_id``; ``update`` takes the same with
``schedule.schedule_id``; ``del`` takes ``{"schedule_id"}``. 400002 for a bad field (a
reminder offset other than 0, 300, 900, 3600 or 86400 seconds before, an end before the
start), 400200 for an unknown schedule. Each call is in the sent log, so tests read what a
member's calendar got.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body

SIM_SCHEDULES = web.AppKey("sim_schedules", dict)
REMIND_BEFORE = frozenset({0, 300, 900, 3600, 86400})
LIMITS = {"summary": 128, "description": 1000, "location": 128}


def _schedules(call: ApiCall) -> dict[str, dict[str, Any]]:
    kept: dict[str, dict[str, dict[str, Any]]] = call.request.app[SIM_SCHEDULES]
    return kept.setdefault(call.tenant.key, {})


def _check(schedule: Mapping[str, Any]) -> None:
    attendees = schedule.get("attendees") or []
    if not all(isinstance(a, Mapping) and a.get("userid") for a in attendees):
        raise ApiError(400002, "invalid attendees")
    start, end = schedule.get("start_time"), schedule.get("end_time")
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        raise ApiError(400002, "invalid start_time or end_time")
    for name, limit in LIMITS.items():
        if len(str(schedule.get(name, ""))) > limit:
            raise ApiError(400002, f"{name} too long")
    reminders = schedule.get("reminders") or {}
    before = reminders.get("remind_before_event_secs", 0)
    diffs = reminders.get("remind_time_diffs") or []
    if before not in REMIND_BEFORE or any(-d not in REMIND_BEFORE for d in diffs):
        raise ApiError(400002, "invalid reminders")


async def add_schedule(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    schedule = body.get("schedule")
    if not isinstance(schedule, Mapping):
        raise ApiError(40058, "missing schedule")
    _check(schedule)
    schedule_id = "sch" + secrets.token_urlsafe(12)
    _schedules(call)[schedule_id] = dict(schedule)
    call.state.sent.append(call.name, body, call.state.clock.now(), schedule_id=schedule_id)
    return {"schedule_id": schedule_id}


async def update_schedule(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    schedule = body.get("schedule")
    if not isinstance(schedule, Mapping):
        raise ApiError(40058, "missing schedule")
    known = _schedules(call)
    if schedule.get("schedule_id") not in known:
        raise ApiError(400200, "schedule not found")
    _check(schedule)
    known[str(schedule["schedule_id"])] = dict(schedule)
    call.state.sent.append(call.name, body, call.state.clock.now())
    return {}


async def delete_schedule(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    if _schedules(call).pop(str(body.get("schedule_id", "")), None) is None:
        raise ApiError(400200, "schedule not found")
    call.state.sent.append(call.name, body, call.state.clock.now())
    return {}


SCHEDULE_APIS: Mapping[str, ApiRoute] = {
    "oa/schedule/add": ApiRoute("POST", add_schedule),
    "oa/schedule/update": ApiRoute("POST", update_schedule),
    "oa/schedule/del": ApiRoute("POST", delete_schedule),
}


def add_schedule_state(app: web.Application) -> None:
    app[SIM_SCHEDULES] = {}
