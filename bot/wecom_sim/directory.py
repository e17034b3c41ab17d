"""The address book (通讯录) as the simulator keeps it: departments, members and the app's
visible range (可见范围), per tenant, and the read APIs a self-built app may call with its own
secret.

The visible range is a set of departments (their sub-departments included) plus single
members; empty means the whole corp. Errors as WeCom answers them: 60011 outside the visible
range, 60111 unknown userid, 60123 unknown department, 48002 for ``user/list_id`` (only the
通讯录同步 secret may call it). Like a new self-built app since 2022-06-20, ``user/get``
never answers mobile, email or avatar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute
from bot.wecom_sim.contact_book import SIM_CONTACTS

ROOT = 1
# user/get status: 1 active, 2 disabled, 4 not activated; a deleted member is simply gone.
ACTIVE = 1


@dataclass
class SimDepartment:
    dept_id: int
    name: str
    parent_id: int
    order: int = 0


@dataclass
class SimMember:
    userid: str
    name: str
    departments: list[int]
    alias: str = ""
    position: str = ""
    status: int = ACTIVE

    def brief(self) -> dict[str, Any]:
        return {"userid": self.userid, "name": self.name, "department": list(self.departments)}

    def detail(self) -> dict[str, Any]:
        return {
            **self.brief(),
            "alias": self.alias,
            "position": self.position,
            "status": self.status,
            "main_department": self.departments[0] if self.departments else ROOT,
        }


@dataclass
class SimDirectory:
    """One tenant's address book."""

    corp_name: str
    departments: dict[int, SimDepartment] = field(default_factory=dict)
    members: dict[str, SimMember] = field(default_factory=dict)
    visible_departments: set[int] = field(default_factory=set)
    visible_users: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.departments.setdefault(ROOT, SimDepartment(ROOT, self.corp_name, 0, 100_000_000))

    def _ancestors(self, dept_id: int) -> list[int]:
        chain, current = [], self.departments.get(dept_id)
        while current is not None and current.dept_id not in chain:
            chain.append(current.dept_id)
            current = self.departments.get(current.parent_id)
        return chain

    def department_visible(self, dept_id: int) -> bool:
        if not self.visible_departments and not self.visible_users:
            return dept_id in self.departments
        return any(d in self.visible_departments for d in self._ancestors(dept_id))

    def member_visible(self, member: SimMember) -> bool:
        return member.userid in self.visible_users or any(
            self.department_visible(d) for d in member.departments
        )

    def visible_department_ids(self) -> list[int]:
        """Parents first, siblings by order (larger first), as WeCom lists them."""
        ordered: list[int] = []

        def walk(parent: int) -> None:
            children = [d for d in self.departments.values() if d.parent_id == parent]
            for child in sorted(children, key=lambda d: (-d.order, d.dept_id)):
                if self.department_visible(child.dept_id):
                    ordered.append(child.dept_id)
                walk(child.dept_id)

        if self.department_visible(ROOT):
            ordered.append(ROOT)
        walk(ROOT)
        return ordered

    def add_member(self, member: SimMember) -> str:
        """Adds or replaces; answers the change_contact ChangeType WeCom would raise."""
        change = "update_user" if member.userid in self.members else "create_user"
        for dept_id in member.departments:
            if dept_id not in self.departments:
                raise ValueError(f"unknown department {dept_id}")
        self.members[member.userid] = member
        return change


class SimDirectories:
    def __init__(self, tenants: Mapping[str, str]) -> None:
        self.books = {key: SimDirectory(name) for key, name in tenants.items()}

    def book(self, tenant_key: str) -> SimDirectory:
        return self.books[tenant_key]


SIM_DIRECTORY = web.AppKey("sim_directory", SimDirectories)


def _directory(call: ApiCall) -> SimDirectory:
    return call.request.app[SIM_DIRECTORY].book(call.tenant.key)


def _route(handler: Any, method: str = "GET") -> ApiRoute:
    """Recorded in the contact call log, and answering injected faults first, like the
    customer-contact APIs (``/_sim/contacts/calls``, ``/_sim/contacts/faults``)."""

    async def run(call: ApiCall) -> dict[str, Any]:
        query = {k: v for k, v in call.request.query.items() if k != "access_token"}
        contacts = call.request.app[SIM_CONTACTS]
        contacts.record(call.name, query, call.state.clock.now())
        fault = contacts.next_fault(call.name)
        if fault is not None:
            raise ApiError(fault, "injected by the simulator")
        result: dict[str, Any] = await handler(call, query)
        return result

    return ApiRoute(method, run)


def _dept_id(query: Mapping[str, str], name: str) -> int:
    raw = query.get(name, "")
    if not raw.isdigit():
        raise ApiError(40058 if raw else 41013, f"invalid {name}")
    return int(raw)


async def department_simplelist(call: ApiCall, query: Mapping[str, str]) -> dict[str, Any]:
    book = _directory(call)
    ids = book.visible_department_ids()
    if "id" in query:
        top = _dept_id(query, "id")
        ids = [d for d in ids if top in book._ancestors(d)]
    departments = [book.departments[d] for d in ids]
    return {
        "department_id": [
            {"id": d.dept_id, "parentid": d.parent_id, "order": d.order} for d in departments
        ]
    }


async def department_get(call: ApiCall, query: Mapping[str, str]) -> dict[str, Any]:
    book = _directory(call)
    dept_id = _dept_id(query, "id")
    department = book.departments.get(dept_id)
    if department is None:
        raise ApiError(60123, "invalid party id")
    if not book.department_visible(dept_id):
        raise ApiError(60011, "no privilege to access/modify contact/party/agent")
    return {
        "department": {
            "id": department.dept_id,
            "name": department.name,
            "parentid": department.parent_id,
            "order": department.order,
        }
    }


async def user_simplelist(call: ApiCall, query: Mapping[str, str]) -> dict[str, Any]:
    book = _directory(call)
    dept_id = _dept_id(query, "department_id")
    if dept_id not in book.departments:
        raise ApiError(60123, "invalid party id")
    if not book.department_visible(dept_id):
        raise ApiError(60011, "no privilege to access/modify contact/party/agent")
    members = sorted(
        (m for m in book.members.values() if dept_id in m.departments), key=lambda m: m.userid
    )
    return {"userlist": [m.brief() for m in members]}


async def user_get(call: ApiCall, query: Mapping[str, str]) -> dict[str, Any]:
    book = _directory(call)
    member = book.members.get(query.get("userid", ""))
    if member is None:
        raise ApiError(60111, "userid not found")
    if not book.member_visible(member):
        raise ApiError(60011, "no privilege to access/modify contact/party/agent")
    return member.detail()


async def user_list_id(call: ApiCall, query: Mapping[str, str]) -> dict[str, Any]:
    """Only the 通讯录同步 secret may page the whole corp's userids; an app's token is
    refused, which is why the bot walks the departments instead."""
    raise ApiError(48002, "api forbidden")


DIRECTORY_APIS: Mapping[str, ApiRoute] = {
    "user/list_id": _route(user_list_id, "POST"),
    "department/simplelist": _route(department_simplelist),
    "department/get": _route(department_get),
    "user/simplelist": _route(user_simplelist),
    "user/get": _route(user_get),
}
