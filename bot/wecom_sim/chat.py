"""Chatting with the bot as an employee through the simulator: the console and the demo.

Every line goes the real way: the simulator encrypts and signs it as WeCom would, the bot
answers 200, handles it in the background and replies through the (simulated) API; we read
those replies back from the simulator's record of sent messages.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.wecom_sim.control import SimulatorControl


def message_text(body: dict[str, Any]) -> str:
    """What a person would read in WeCom for one message/send body."""
    msgtype = body.get("msgtype", "")
    content = body.get(msgtype, {})
    if msgtype in ("text", "markdown"):
        return str(content.get("content", ""))
    if msgtype == "textcard":
        return f"【{content.get('title', '')}】\n{content.get('description', '')}"
    if msgtype == "template_card":
        title = content.get("main_title", {}).get("title", "")
        desc = content.get("main_title", {}).get("desc", "")
        fields = [
            f"{item.get('keyname', '')}：{item.get('value', '')}"
            for item in content.get("horizontal_content_list", [])
        ]
        quote = content.get("quote_area", {})
        quoted = [quote.get("title", ""), quote.get("quote_text", "")] if quote else []
        buttons = " ".join(f"[{b.get('text', '')}]" for b in content.get("button_list", []))
        parts = (f"【{title}】", desc, *fields, *quoted, buttons)
        return "\n".join(part for part in parts if part)
    return f"[{msgtype}]"


class ChatSession:
    def __init__(
        self,
        control: SimulatorControl,
        tenant_key: str,
        user_id: str,
        *,
        settle: float = 0.4,
        timeout: float = 10.0,
    ) -> None:
        self.control = control
        self.tenant_key = tenant_key
        self.user_id = user_id
        self._settle = settle
        self._timeout = timeout

    async def say(self, text: str) -> list[str]:
        """Send ``text`` as this employee; return the replies that reached them."""
        since = await self.control.sent_count()
        result = await self.control.deliver(
            self.tenant_key, {"MsgType": "text", "FromUserName": self.user_id, "Content": text}
        )
        if result.get("status") != 200:
            return [
                f"(企业微信回调失败：HTTP {result.get('status')}，重试 {result.get('attempts')} 次)"
            ]
        return await self.replies(since)

    async def replies(self, since: int) -> list[str]:
        """Wait for the first reply to this user after record ``since``, then for a short
        quiet spell so a multi-part answer arrives whole."""
        deadline = time.monotonic() + self._timeout
        seen: list[dict[str, Any]] = []
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            records = await self.control.sent(since=since)
            mine = [
                r for r in records if self.user_id in str(r["body"].get("touser", "")).split("|")
            ]
            if len(mine) > len(seen):
                seen, quiet_since = mine, time.monotonic()
            elif seen and time.monotonic() - quiet_since >= self._settle:
                break
            await asyncio.sleep(0.05)
        return [message_text(r["body"]) for r in seen if not r.get("dropped")]
