"""``ContactsSimControl`` plus the address book's control endpoints (``/_sim/directory/...``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from bot.wecom_sim.control_contacts import ContactsSimControl


class DirectorySimControl(ContactsSimControl):
    def _book(self, tenant_key: str) -> str:
        return f"/_sim/directory/{quote(tenant_key)}"

    async def put_department(
        self, tenant_key: str, dept_id: int, name: str, *, parent_id: int = 1, notify: bool = False
    ) -> dict[str, Any]:
        body = {"id": dept_id, "name": name, "parent_id": parent_id, "notify": notify}
        return await self._object("POST", f"{self._book(tenant_key)}/departments", body)

    async def delete_department(
        self, tenant_key: str, dept_id: int, *, notify: bool = False
    ) -> dict[str, Any]:
        path = f"{self._book(tenant_key)}/departments/{dept_id}?notify={int(notify)}"
        return await self._object("DELETE", path)

    async def put_person(
        self,
        tenant_key: str,
        userid: str,
        name: str,
        departments: Sequence[int] = (1,),
        *,
        notify: bool = False,
        **fields: str,
    ) -> dict[str, Any]:
        """A member in the address book (``alias``, ``position`` in ``fields``); ``notify``
        raises change_contact create_user or update_user."""
        body: dict[str, Any] = {"userid": userid, "name": name, "departments": list(departments)}
        body.update(fields, notify=notify)
        return await self._object("POST", f"{self._book(tenant_key)}/members", body)

    async def delete_person(
        self, tenant_key: str, userid: str, *, notify: bool = False
    ) -> dict[str, Any]:
        path = f"{self._book(tenant_key)}/members/{quote(userid)}?notify={int(notify)}"
        return await self._object("DELETE", path)

    async def set_visible(
        self, tenant_key: str, departments: Sequence[int] = (), users: Sequence[str] = ()
    ) -> dict[str, Any]:
        body = {"departments": list(departments), "users": list(users)}
        return await self._object("PUT", f"{self._book(tenant_key)}/visible", body)

    async def seed_directory(
        self, tenant_key: str, *, departments: int, members: int, prefix: str = "m"
    ) -> dict[str, Any]:
        body = {"departments": departments, "members": members, "prefix": prefix}
        return await self._object("POST", f"{self._book(tenant_key)}/seed", body)

    async def directory(self, tenant_key: str) -> dict[str, Any]:
        return await self._object("GET", f"{self._book(tenant_key)}/")
