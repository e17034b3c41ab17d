"""The address book (通讯录) as a self-built app reads it with its own secret.

Only the app's visible range (可见范围) is readable. ``user/list_id`` and ``department/list``
need the 通讯录同步 secret or refuse IPs added after 2022-08-15, so the app walks
``department/simplelist`` (ids), ``department/get`` (a name each), ``user/simplelist`` per
department (userid, name, departments) and ``user/get`` (alias, position, status). Since
2022-06-20 new self-built apps get no mobile, email or avatar from ``user/get``: nothing
here relies on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.wecom.client import AppCredentials, WeComClient

NO_PRIVILEGE = 60011  # outside the app's visible range
USER_NOT_FOUND = 60111
DEPARTMENT_NOT_FOUND = 60123
# user/get's status: 1 active, 2 disabled, 4 not yet activated, 5 left the corp.
STATUS_LEFT = 5


@dataclass(frozen=True, slots=True)
class DepartmentRef:
    dept_id: int
    parent_id: int
    order: int


@dataclass(frozen=True, slots=True)
class MemberBrief:
    userid: str
    name: str
    departments: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MemberDetail:
    userid: str
    name: str
    departments: tuple[int, ...]
    alias: str
    position: str
    status: int


def _int(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _ints(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, int) and not isinstance(v, bool))


def _objects(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


async def department_ids(client: WeComClient, creds: AppCredentials) -> list[DepartmentRef]:
    """Every department in the visible range, parents before children as WeCom lists them."""
    result = await client.call(creds, "department/simplelist", method="GET")
    return [
        DepartmentRef(_int(item, "id"), _int(item, "parentid"), _int(item, "order"))
        for item in _objects(result, "department_id")
        if _int(item, "id") > 0
    ]


async def department_name(client: WeComClient, creds: AppCredentials, dept_id: int) -> str:
    result = await client.call(creds, "department/get", method="GET", params={"id": str(dept_id)})
    department = result.get("department")
    return _text(department, "name") if isinstance(department, Mapping) else ""


async def department_members(
    client: WeComClient, creds: AppCredentials, dept_id: int
) -> list[MemberBrief]:
    """The members directly in ``dept_id`` (fetch_child is deprecated: walk the tree)."""
    result = await client.call(
        creds, "user/simplelist", method="GET", params={"department_id": str(dept_id)}
    )
    return [
        MemberBrief(_text(item, "userid"), _text(item, "name"), _ints(item.get("department")))
        for item in _objects(result, "userlist")
        if _text(item, "userid")
    ]


async def member_detail(client: WeComClient, creds: AppCredentials, userid: str) -> MemberDetail:
    result = await client.call(creds, "user/get", method="GET", params={"userid": userid})
    return MemberDetail(
        userid=_text(result, "userid") or userid,
        name=_text(result, "name"),
        departments=_ints(result.get("department")),
        alias=_text(result, "alias"),
        position=_text(result, "position"),
        status=_int(result, "status"),
    )
