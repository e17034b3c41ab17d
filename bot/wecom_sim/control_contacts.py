"""``SimulatorControl`` plus the customer-contact control endpoints (``/_sim/contacts/...``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bot.wecom_sim.control import SimulatorControl, SimulatorControlError


class ContactsSimControl(SimulatorControl):
    def _base(self, tenant_key: str) -> str:
        return f"/_sim/contacts/{quote(tenant_key)}"

    async def seed_customer(self, tenant_key: str, customer: Mapping[str, Any]) -> str:
        """A customer with ``follow_users`` already in place; answers its external_userid."""
        answer = await self._object("POST", f"{self._base(tenant_key)}/customers", dict(customer))
        return str(answer["external_userid"])

    async def add_contact(self, tenant_key: str, userid: str, **fields: Any) -> dict[str, Any]:
        """The customer adds ``userid``; raises add_external_contact with a WelcomeCode.
        Answers ``{"status", "attempts", "external_userid", "welcome_code"}``."""
        body = {"userid": userid, **fields}
        return await self._object("POST", f"{self._base(tenant_key)}/add", body)

    async def remove_contact(
        self, tenant_key: str, userid: str, external_userid: str, *, by: str = "customer"
    ) -> dict[str, Any]:
        body = {"userid": userid, "external_userid": external_userid, "by": by}
        return await self._object("POST", f"{self._base(tenant_key)}/remove", body)

    async def seed_tags(
        self, tenant_key: str, group_name: str, tags: Sequence[str], *, notify: bool = False
    ) -> dict[str, str]:
        """Answers ``{tag name: tag id}`` for the whole group."""
        body = {"group_name": group_name, "tags": list(tags), "notify": notify}
        answer = await self._object("POST", f"{self._base(tenant_key)}/tags", body)
        return {str(k): str(v) for k, v in answer["tags"].items()}

    async def put_member(
        self, tenant_key: str, userid: str, name: str, *, notify: bool = False
    ) -> dict[str, Any]:
        """A member in the address book (user/get); ``notify`` raises change_contact."""
        body = {"userid": userid, "name": name, "notify": notify}
        return await self._object("POST", f"{self._base(tenant_key)}/members", body)

    async def put_group_chat(self, tenant_key: str, chat_id: str, chat: Mapping[str, Any]) -> None:
        path = f"{self._base(tenant_key)}/groupchats/{quote(chat_id)}"
        await self._object("PUT", path, dict(chat))

    async def settle_transfer(
        self, tenant_key: str, external_userid: str, outcome: str, *, callbacks: bool = True
    ) -> list[dict[str, Any]]:
        """``callbacks=False``: WeCom settles it without telling the bot (transfer_result
        still knows)."""
        body = {"external_userid": external_userid, "outcome": outcome, "callbacks": callbacks}
        answer = await self._object("POST", f"{self._base(tenant_key)}/transfers/settle", body)
        return list(answer["events"])

    async def contact_calls(self, api: str | None = None) -> list[dict[str, Any]]:
        """Every customer-contact API call the bot made: ``{"api", "body", "at"}``."""
        path = "/_sim/contacts/calls" + (f"?api={quote(api, safe='')}" if api else "")
        records = await self._request("GET", path)
        if not isinstance(records, list):
            raise SimulatorControlError(200, "expected a JSON list of calls")
        return records

    async def clear_contact_calls(self) -> None:
        await self._request("DELETE", "/_sim/contacts/calls")

    async def inject_fault(self, api: str, errcode: int, times: int = 1, after: int = 0) -> None:
        """After ``after`` more calls of ``api``, the next ``times`` answer ``errcode``."""
        body = {"api": api, "errcode": errcode, "times": times, "after": after}
        await self._object("POST", "/_sim/contacts/faults", body)

    async def set_limits(self, **limits: float) -> dict[str, Any]:
        """``batch_concurrency`` and ``batch_latency``; answers them plus ``max_in_flight``."""
        return await self._object("POST", "/_sim/contacts/limits", dict(limits))
