"""Two ``scrm-bot serve`` replicas on one PostgreSQL behave as one: the same callback reaching
both (WeCom retrying to the other replica behind the proxy) is answered once, and a reminder
that falls due while both run their scheduler is sent once.

Each replica has its own WeCom simulator to receive callbacks from (a simulator delivers to
one URL); both send through the first, which records every message that reached "WeCom".
Two replicas need PostgreSQL (on SQLite the bot is one process), so this module only has a
test when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.control_directory import DirectorySimControl
from tests.reliability.test_kill9 import (
    BACKEND,
    free_port,
    fresh_database,
    start,
    stop,
    write_config,
)

SAME_MESSAGES = 20
REMINDER_WAIT_SECONDS = 150  # due in a minute, swept every 20 s by each replica


def replica_config(path: Path, database: str, bot_port: int, sim_port: int, api: int) -> Path:
    """A replica's config: callbacks come from its own simulator, API calls go to ``api``."""
    config = write_config(path, database, bot_port, sim_port)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            f'api_base = "http://127.0.0.1:{sim_port}"', f'api_base = "http://127.0.0.1:{api}"'
        ),
        encoding="utf-8",
    )
    return config


def sends_to(records: list[dict[str, Any]], user: str) -> list[str]:
    """What reached ``user`` through message/send (a card as its JSON)."""
    return [
        r["body"]["text"]["content"]
        if r["body"].get("msgtype") == "text"
        else json.dumps(r["body"], ensure_ascii=False)
        for r in records
        if r["api"] == "message/send" and not r["dropped"] and r["body"].get("touser") == user
    ]


if BACKEND == "postgres":

    @pytest.mark.db
    async def test_two_replicas_answer_once_and_remind_once(tmp_path: Path) -> None:
        sims = [free_port(), free_port()]
        bots = [free_port(), free_port()]
        async with fresh_database(tmp_path) as database:
            configs = [
                replica_config(tmp_path / f"r{n}.toml", database, bots[n], sims[n], sims[0])
                for n in range(2)
            ]
            simulators = [
                await start("simulate", configs[n], f"http://127.0.0.1:{sims[n]}/_sim/sent")
                for n in range(2)
            ]
            async with aiohttp.ClientSession() as http:
                # in the address book, or the first sync takes the admin's seat back
                book = DirectorySimControl(http, f"http://127.0.0.1:{sims[0]}")
                await book.put_person("acme", "zhangsan", "张三")
            replicas = [
                await start(
                    "serve", configs[n], f"http://127.0.0.1:{bots[n]}/readyz", instance=f"r{n}"
                )
                for n in range(2)
            ]
            try:
                async with aiohttp.ClientSession() as http:
                    wecom = [SimulatorControl(http, f"http://127.0.0.1:{p}") for p in sims]

                    # The same MsgId to both replicas, at the same moment.
                    async def both(n: int) -> None:
                        fields = {
                            "MsgType": "text",
                            "FromUserName": f"user{n:02d}",
                            "Content": "你好",
                            "MsgId": str(8_000_000 + n),
                        }
                        answers = await asyncio.gather(*(w.deliver("acme", fields) for w in wecom))
                        assert [a["status"] for a in answers] == [200, 200]

                    await asyncio.gather(*(both(n) for n in range(SAME_MESSAGES)))
                    reminder = {
                        "MsgType": "text",
                        "FromUserName": "zhangsan",
                        "Content": "1分钟后提醒我回访张总",
                        "MsgId": "8100000000",
                    }
                    assert (await wecom[1].deliver("acme", reminder))["status"] == 200
                    users = {f"user{n:02d}" for n in range(SAME_MESSAGES)}
                    for _ in range(REMINDER_WAIT_SECONDS * 2):
                        sent = await wecom[0].sent()
                        answered = Counter(
                            r["body"]["touser"]
                            for r in sent
                            if r["api"] == "message/send" and not r["dropped"]
                        )
                        reminded = sends_to(sent, "zhangsan")
                        if users <= set(answered) and len(reminded) > 1:
                            break
                        await asyncio.sleep(0.5)
            finally:
                for process in replicas + simulators:
                    await stop(process, signal.SIGTERM)
        assert {user: answered[user] for user in users} == dict.fromkeys(users, 1)
        # the confirmation when it was set, then the reminder itself: once each
        assert len(reminded) == 2, reminded
        assert reminded[0].startswith("好的，已安排跟进 #1")
        assert "回访张总" in reminded[1] and not reminded[1].startswith("好的")
