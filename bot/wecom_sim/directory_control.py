"""Control endpoints for the simulator's address book (``/_sim/directory/{tenant_key}/...``).

Every change may raise the change_contact callback WeCom sends the app (``"notify": true``):
create_user / update_user / delete_user, create_party / update_party / delete_party. WeCom
only tells an app about members and departments in its visible range.

``POST .../departments`` ``{"id", "name", "parent_id" (1), "order" (0), "notify"}``
``DELETE .../departments/{id}[?notify=1]`` (it must be empty)
``POST .../members`` ``{"userid", "name", "departments" ([1]), "alias", "position", "notify"}``
``DELETE .../members/{userid}[?notify=1]``
``PUT .../visible`` ``{"departments": [ids], "users": [userids]}`` (both empty: everyone)
``POST .../seed`` ``{"departments": n, "members": n, "prefix": "m"}``: a large corp for
    benchmarks, members spread over n departments under the root, no callbacks
``GET .../`` the whole book, for tests
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.wecom_sim.callback import raise_callback
from bot.wecom_sim.directory import (
    ROOT,
    SIM_DIRECTORY,
    SimDepartment,
    SimDirectories,
    SimDirectory,
    SimMember,
)
from bot.wecom_sim.state import SIM_STATE, SimTenant

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def add_directory_controls(app: web.Application, tenants: dict[str, str]) -> None:
    app[SIM_DIRECTORY] = SimDirectories(tenants)
    base = "/_sim/directory/{tenant_key}"
    app.router.add_get(f"{base}/", show_book)
    app.router.add_post(f"{base}/departments", put_department)
    app.router.add_delete(f"{base}/departments/{{dept_id}}", delete_department)
    app.router.add_post(f"{base}/members", put_member)
    app.router.add_delete(f"{base}/members/{{userid}}", delete_member)
    app.router.add_put(f"{base}/visible", set_visible)
    app.router.add_post(f"{base}/seed", seed)


def _fail(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _tenant(request: web.Request) -> tuple[SimTenant, SimDirectory]:
    key = request.match_info["tenant_key"]
    tenant = request.app[SIM_STATE].tenants.get(key)
    if tenant is None:
        raise _fail(web.HTTPNotFound, f"unknown tenant {key!r}")
    return tenant, request.app[SIM_DIRECTORY].book(key)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object")
    return body


def _text(body: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or (required and not value):
        raise _fail(web.HTTPBadRequest, f"{name} must be a non-empty string")
    return value


def _ints(body: dict[str, Any], name: str, default: list[int]) -> list[int]:
    value = body.get(name, default)
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise _fail(web.HTTPBadRequest, f"{name} must be a list of integers")
    return value


async def _notify(
    request: web.Request, tenant: SimTenant, fields: dict[str, Any], visible: bool
) -> dict[str, Any] | None:
    """Raise the callback when asked (``"notify"`` in the body, or ``?notify=1``) and WeCom
    would: only for what the app can see."""
    wanted = request.query.get("notify") == "1"
    if request.body_exists:
        wanted = wanted or bool((await _body(request)).get("notify"))
    if not wanted or not visible:
        return None
    message, result = await raise_callback(
        request.app,
        tenant,
        {"MsgType": "event", "FromUserName": "sys", "Event": "change_contact", **fields},
    )
    created = message["CreateTime"]
    return {"status": result.status, "attempts": result.attempts, "create_time": created}


async def show_book(request: web.Request) -> web.Response:
    _, book = _tenant(request)
    return web.json_response(
        {
            "departments": [vars(d) for d in book.departments.values()],
            "members": [m.detail() for m in book.members.values()],
            "visible": {
                "departments": sorted(book.visible_departments),
                "users": sorted(book.visible_users),
            },
        }
    )


async def put_department(request: web.Request) -> web.Response:
    tenant, book = _tenant(request)
    body = await _body(request)
    dept_id, parent = body.get("id"), body.get("parent_id", ROOT)
    order = body.get("order", 0)
    if not isinstance(dept_id, int) or dept_id <= ROOT or not isinstance(parent, int):
        raise _fail(web.HTTPBadRequest, "id (an integer above 1) and parent_id are required")
    if parent not in book.departments or not isinstance(order, int):
        raise _fail(web.HTTPBadRequest, f"unknown parent department {parent}")
    change = "update_party" if dept_id in book.departments else "create_party"
    name = _text(body, "name", required=True)
    book.departments[dept_id] = SimDepartment(dept_id, name, parent, order)
    fields = {"ChangeType": change, "Id": dept_id, "Name": name, "ParentId": str(parent)}
    if change == "create_party":
        fields["Order"] = order
    event = await _notify(request, tenant, fields, book.department_visible(dept_id))
    return web.json_response({"id": dept_id, "change_type": change, "event": event})


async def delete_department(request: web.Request) -> web.Response:
    tenant, book = _tenant(request)
    raw = request.match_info["dept_id"]
    dept_id = int(raw) if raw.isdigit() else -1
    if dept_id not in book.departments or dept_id == ROOT:
        raise _fail(web.HTTPNotFound, f"unknown department {raw}")
    busy = any(dept_id in m.departments for m in book.members.values()) or any(
        d.parent_id == dept_id for d in book.departments.values()
    )
    if busy:
        raise _fail(web.HTTPConflict, "the department still has members or sub-departments")
    visible = book.department_visible(dept_id)
    del book.departments[dept_id]
    book.visible_departments.discard(dept_id)
    event = await _notify(request, tenant, {"ChangeType": "delete_party", "Id": dept_id}, visible)
    return web.json_response({"id": dept_id, "event": event})


async def put_member(request: web.Request) -> web.Response:
    tenant, book = _tenant(request)
    body = await _body(request)
    member = SimMember(
        userid=_text(body, "userid", required=True),
        name=_text(body, "name", required=True),
        departments=_ints(body, "departments", [ROOT]),
        alias=_text(body, "alias"),
        position=_text(body, "position"),
    )
    try:
        change = book.add_member(member)
    except ValueError as exc:
        raise _fail(web.HTTPBadRequest, str(exc)) from exc
    fields = {
        "ChangeType": change,
        "UserID": member.userid,
        "Name": member.name,
        "Department": ",".join(str(d) for d in member.departments),
        "MainDepartment": member.departments[0] if member.departments else ROOT,
        "Position": member.position,
        "Alias": member.alias,
        "Status": member.status,
    }
    event = await _notify(request, tenant, fields, book.member_visible(member))
    return web.json_response({"userid": member.userid, "change_type": change, "event": event})


async def delete_member(request: web.Request) -> web.Response:
    tenant, book = _tenant(request)
    userid = request.match_info["userid"]
    member = book.members.pop(userid, None)
    if member is None:
        raise _fail(web.HTTPNotFound, f"unknown member {userid!r}")
    book.visible_users.discard(userid)
    fields = {"ChangeType": "delete_user", "UserID": userid}
    event = await _notify(request, tenant, fields, book.member_visible(member))
    return web.json_response({"userid": userid, "event": event})


async def set_visible(request: web.Request) -> web.Response:
    _, book = _tenant(request)
    body = await _body(request)
    departments = _ints(body, "departments", [])
    users = body.get("users", [])
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise _fail(web.HTTPBadRequest, "users must be a list of userids")
    book.visible_departments, book.visible_users = set(departments), set(users)
    return web.json_response({"departments": sorted(departments), "users": sorted(users)})


def seed_book(book: SimDirectory, departments: int, members: int, prefix: str) -> None:
    """``members`` members named like real people (some names repeat, as in a real corp),
    spread round-robin over ``departments`` departments under the root."""
    first = max(book.departments) + 1
    ids = list(range(first, first + departments))
    for n, dept_id in enumerate(ids):
        book.departments[dept_id] = SimDepartment(dept_id, f"部门{n + 1}", ROOT, n)
    for n in range(members):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
        dept = ids[n % len(ids)] if ids else ROOT
        book.members[f"{prefix}{n:05d}"] = SimMember(f"{prefix}{n:05d}", name, [dept])


async def seed(request: web.Request) -> web.Response:
    _, book = _tenant(request)
    body = await _body(request)
    departments, members = body.get("departments", 10), body.get("members", 100)
    if not isinstance(departments, int) or not isinstance(members, int):
        raise _fail(web.HTTPBadRequest, "departments and members must be integers")
    if not 0 <= departments <= 1000 or not 0 <= members <= 100_000:
        raise _fail(web.HTTPBadRequest, "at most 1,000 departments and 100,000 members")
    seed_book(book, departments, members, _text(body, "prefix") or "m")
    return web.json_response({"departments": len(book.departments), "members": len(book.members)})
