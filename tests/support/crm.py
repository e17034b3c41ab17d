"""Helpers for the customer tests: chat through the simulator and read what people saw."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from bot.embedded import Embedded
from bot.wecom_sim.chat import message_text
from bot.wecom_sim.control_directory import DirectorySimControl


class Chat:
    """Talk to the bot as employees of one tenant; each call returns what the bot sent to
    the speaker (other recipients' messages are in ``sent_to``)."""

    def __init__(self, embedded: Embedded, sim: DirectorySimControl, tenant: str = "acme") -> None:
        self.embedded = embedded
        self.sim = sim
        self.tenant = tenant
        self.last: list[dict[str, Any]] = []

    async def settle(self, since: int) -> list[dict[str, Any]]:
        await self.embedded.runtime.tasks.drain()
        self.last = [r for r in await self.sim.sent(since=since) if r["api"] == "message/send"]
        return self.last

    async def say(self, user: str, text: str) -> list[str]:
        since = await self.sim.sent_count()
        fields = {"MsgType": "text", "FromUserName": user, "Content": text}
        assert (await self.sim.deliver(self.tenant, fields))["status"] == 200
        await self.settle(since)
        return self.sent_to(user)

    async def event(self, fields: dict[str, Any]) -> list[dict[str, Any]]:
        since = await self.sim.sent_count()
        event = {"MsgType": "event", "FromUserName": "sys", **fields}
        assert (await self.sim.deliver(self.tenant, event))["status"] == 200
        return await self.settle(since)

    def sent_to(self, user: str) -> list[str]:
        return [
            message_text(r["body"])
            for r in self.last
            if user in str(r["body"].get("touser", "")).split("|")
        ]


def welcome_texts(records: list[dict[str, Any]]) -> list[str]:
    return [
        r["body"]["text"]["content"]
        for r in records
        if r["api"] == "externalcontact/send_welcome_msg"
    ]


@asynccontextmanager
async def open_chat(embedded: Embedded, tenant: str = "acme") -> AsyncIterator[Chat]:
    """A ``Chat`` with its own HTTP session to the simulator (for a test's fixture)."""
    async with aiohttp.ClientSession() as session:
        yield Chat(embedded, DirectorySimControl(session, embedded.simulator_url), tenant)
