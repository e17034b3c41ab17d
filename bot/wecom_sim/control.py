"""A small async client for the WeCom simulator's control API (see ``bot.wecom_sim.simulator``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import aiohttp

POLL_INTERVAL = 0.02


class SimulatorControlError(RuntimeError):
    """The control API refused a request (unknown tenant, malformed fields, ...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"simulator answered HTTP {status}: {message}")
        self.status = status


class SimulatorControl:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")

    async def deliver(self, tenant_key: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Have WeCom send a callback; answers ``{"status", "attempts", "msg_id"}``."""
        return await self._object("POST", f"/_sim/callback/{quote(tenant_key)}", dict(fields))

    async def member_file(self, content: str, media_type: str = "image") -> str:
        """A file a member sends (``bot.wecom_sim.media``): its media_id for a callback."""
        answer = await self._object("POST", "/_sim/media", {"type": media_type, "content": content})
        return str(answer["media_id"])

    async def verify(self, tenant_key: str) -> dict[str, Any]:
        """Run WeCom's URL verification; answers ``{"status", "verified"}``."""
        return await self._object("POST", f"/_sim/verify/{quote(tenant_key)}")

    async def aibot(
        self,
        tenant_key: str,
        text: str,
        *,
        userid: str = "zhangsan",
        chattype: str = "group",
        chatid: str = "wrgroup0001",
        quoted: str = "",
        msgid: str = "",
    ) -> dict[str, Any]:
        """Have a member talk to the group bot; answers ``{"status", "attempts", "msgid",
        "reply"}`` with ``reply`` the decrypted passive reply or None. ``quoted``: the text
        of the message the member quotes."""
        fields = {"text": text, "userid": userid, "chattype": chattype, "quote": quoted}
        if chattype == "group":
            fields["chatid"] = chatid
        if msgid:
            fields["msgid"] = msgid
        return await self._object("POST", f"/_sim/aibot/{quote(tenant_key)}", fields)

    async def click_card(
        self, tenant_key: str, userid: str, task_id: str, key: str
    ) -> dict[str, Any]:
        """``userid`` clicks button ``key`` on the template card ``task_id`` sent to them;
        answers ``{"status", "attempts", "response_code"}``."""
        body = {"userid": userid, "task_id": task_id, "key": key}
        return await self._object("POST", f"/_sim/cards/{quote(tenant_key)}/click", body)

    async def verify_aibot(self, tenant_key: str) -> dict[str, Any]:
        """Run WeCom's URL verification for the group bot; answers ``{"status", "verified"}``."""
        return await self._object("POST", f"/_sim/aibot/{quote(tenant_key)}/verify")

    async def sent(self, *, since: int = 0) -> list[dict[str, Any]]:
        """Records of sending API calls, from ``seq`` ``since`` on."""
        records = await self._request("GET", f"/_sim/sent?since={since}")
        if not isinstance(records, list):
            raise SimulatorControlError(200, "expected a JSON list of sent records")
        return records

    async def sent_count(self) -> int:
        """How many records exist since the last clear: a mark to pass as ``since``."""
        answer = await self._object("GET", "/_sim/sent/count")
        return int(answer["count"])

    async def clear_sent(self) -> None:
        await self._request("DELETE", "/_sim/sent")

    async def expire_tokens(self) -> None:
        await self._request("POST", "/_sim/tokens/expire")

    async def kf_say(
        self, tenant_key: str, open_kfid: str, external_userid: str, text: str, menu_id: str = ""
    ) -> dict[str, Any]:
        """A 微信客服 customer writes (or clicks a menu item); answers ``{"msgid", "token",
        "status"}`` once the bot has had the ``kf_msg_or_event`` callback."""
        body = {"open_kfid": open_kfid, "external_userid": external_userid, "text": text}
        if menu_id:
            body["menu_id"] = menu_id
        return await self._object("POST", f"/_sim/kf/{quote(tenant_key)}/say", body)

    async def kf_end_session(
        self, tenant_key: str, open_kfid: str, external_userid: str, **extra: Any
    ) -> dict[str, Any]:
        """The servicer ends the session (``servicer_userid``; ``callback=False`` to hold the
        callback back); answers ``{"msgid", "msg_code", "status"}``."""
        body = {"open_kfid": open_kfid, "external_userid": external_userid, **extra}
        return await self._object("POST", f"/_sim/kf/{quote(tenant_key)}/end", body)

    async def kf_servicers(
        self, tenant_key: str, open_kfid: str, servicers: list[str]
    ) -> dict[str, Any]:
        """Who is receiving on a kf account (the hand-over to a person needs one of them)."""
        body = {"open_kfid": open_kfid, "servicers": servicers}
        return await self._object("POST", f"/_sim/kf/{quote(tenant_key)}/servicers", body)

    async def health(self) -> dict[str, Any]:
        return await self._object("GET", "/_sim/health")

    async def wait_for_sent(
        self, count: int, *, timeout: float = 5.0, since: int = 0
    ) -> list[dict[str, Any]]:
        """Poll until at least ``count`` records exist from ``since`` on, and return them all.

        The bot replies in the background after acknowledging a callback, so tests wait for
        its messages rather than expecting them the moment ``deliver`` returns.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            records = await self.sent(since=since)
            if len(records) >= count:
                return records
            if loop.time() >= deadline:
                raise TimeoutError(_shortfall(count, since, timeout, records))
            await asyncio.sleep(POLL_INTERVAL)

    async def _object(
        self, method: str, path: str, payload: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        answer = await self._request(method, path, payload)
        if not isinstance(answer, dict):
            raise SimulatorControlError(200, f"expected a JSON object from {path}")
        return answer

    async def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        url = self._base_url + path
        async with self._session.request(method, url, json=payload) as response:
            text = await response.text()
            status = response.status
        try:
            answer = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SimulatorControlError(status, text[:200] or "empty answer") from exc
        if status >= 400:
            error = answer.get("error") if isinstance(answer, dict) else None
            raise SimulatorControlError(status, str(error or answer))
        return answer


def _shortfall(count: int, since: int, timeout: float, records: list[dict[str, Any]]) -> str:
    seen = ", ".join(f"{r.get('api')}->{r.get('body', {}).get('touser')}" for r in records)
    return (
        f"expected at least {count} sent record(s) from seq {since} within {timeout}s, "
        f"got {len(records)}" + (f": {seen}" if seen else "")
    )
