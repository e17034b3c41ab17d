"""`scrm-bot console`: chat with the bot as an employee, from the terminal, through the
simulator (run `scrm-bot serve` and `scrm-bot simulate` first, or use `scrm-bot demo`)."""

from __future__ import annotations

import asyncio
import sys

import aiohttp

from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl

PROMPT = "{user} > "
BYE_WORDS = {"exit", "quit", "退出"}


async def _read_line(prompt: str) -> str | None:
    # input() blocks: run it off the event loop so the bot keeps working meanwhile.
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def interact(session: ChatSession) -> None:
    print(f"以 {session.user_id} 的身份和机器人聊天。输入「帮助」试试，输入 exit 退出。")
    while True:
        line = await _read_line(PROMPT.format(user=session.user_id))
        if line is None or line.strip().lower() in BYE_WORDS:
            print()
            return
        if not line.strip():
            continue
        for reply in await session.say(line.strip()) or ["（没有回复）"]:
            print(f"机器人 > {reply}")


async def run_console(simulator_url: str, tenant_key: str, user_id: str) -> int:
    async with aiohttp.ClientSession() as http:
        control = SimulatorControl(http, simulator_url)
        try:
            health = await control.health()
        except aiohttp.ClientError:
            print(
                f"连不上模拟器 {simulator_url}：先运行 scrm-bot simulate -c config.toml",
                file=sys.stderr,
            )
            return 1
        if tenant_key not in health.get("tenants", []):
            print(
                f"模拟器里没有租户 {tenant_key}；可用：{', '.join(health.get('tenants', []))}",
                file=sys.stderr,
            )
            return 2
        await interact(ChatSession(control, tenant_key, user_id))
    return 0
