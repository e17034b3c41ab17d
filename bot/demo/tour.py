"""`scrm-bot demo`: the bot and the simulator in one process, a scripted tour, then a console.

Nothing to configure: a built-in demo tenant, SQLite under ./data/demo.db (recreated on each
run), and every message takes the full encrypted path through the simulator.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import aiohttp

from bot.app import Options
from bot.capability import Capability
from bot.cli.console import interact
from bot.config import Settings, parse_settings
from bot.demo.provider import OPERATORS, PROVIDER_TENANT
from bot.embedded import Embedded, run_embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.inbox import InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus

DEMO_TENANT = {
    "key": "demo",
    "corp_id": "wwdemo0000000000001",
    "name": "演示科技有限公司",
    "timezone": "Asia/Shanghai",
    "admins": ["zhangsan"],
    "app": {
        "agent_id": 1000002,
        "secret": "demo-app-secret",
        "token": "DemoCallbackToken",
        "encoding_aes_key": "Rb/oNXpmWDHVuAEVCy7Q2njX/ZxW3pF+1uLuVodQm6c",
    },
}

PEOPLE = {
    "zhangsan": "张三（管理员）",
    "lisi": "李四（销售）",
    "wangwu": "王五（仓管）",
    "wangfang": "王芳（服务商运营）",
}

# (who, what they type, what the narrator says first)
TOUR: list[tuple[str, str, str]] = [
    ("zhangsan", "帮助", "员工在企业微信里给应用发消息，机器人解密、处理并回复。"),
    ("lisi", "你好", "打个招呼，机器人按你的角色和套餐给出可以试的说法。"),
    ("lisi", "明天天气怎么样", "听不懂的话，机器人会说听出了什么、提示怎么用，而不是乱做事。"),
    ("lisi", "help", "英文命令同样可用。"),
]


Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)
Scene = Callable[[Embedded, SimulatorControl, Show], Awaitable[None]]


def scenes(capabilities: Sequence[Capability]) -> list[Scene]:
    """Each capability's scene, in the capabilities' order (``"module:function"``)."""
    found = []
    for capability in capabilities:
        if capability.demo:
            module, _, name = capability.demo.partition(":")
            found.append(getattr(importlib.import_module(module), name))
    return found


def demo_settings(db_path: Path) -> Settings:
    return parse_settings(
        {
            "database": {"url": f"sqlite://{db_path}"},
            "tenants": [DEMO_TENANT, PROVIDER_TENANT],
            "subscription": {"operators": OPERATORS},
        }
    )


def _print_exchange(who: str, text: str, replies: list[str]) -> None:
    print(f"{PEOPLE.get(who, who)} > {text}")
    for reply in replies or ["（没有回复）"]:
        lines = reply.splitlines() or [""]
        print(f"  机器人 > {lines[0]}")
        for line in lines[1:]:
            print(f"           {line}")
    print()


async def _retry_scene(control: SimulatorControl) -> None:
    print("· 企业微信没在 5 秒内收到 200 时会重投同一条消息。下面把同一条消息投递 3 次：")
    fields = {
        "MsgType": "text",
        "FromUserName": "lisi",
        "Content": "帮助",
        "MsgId": "7700000000000000001",
    }
    session = ChatSession(control, "demo", "lisi")
    since = await control.sent_count()
    for attempt in range(1, 4):
        result = await control.deliver("demo", fields)
        print(f"  第 {attempt} 次投递：HTTP {result['status']}")
    replies = await session.replies(since)
    print(f"  李四只收到 {len(replies)} 条回复：重复投递不会造成重复效果。\n")


async def _summary(embedded: Embedded) -> None:
    await embedded.runtime.tasks.drain()
    received = await InboxUpdate.all().count()
    sent = await OutboxMessage.filter(status=OutboxStatus.SENT).count()
    print(f"· 本次演示：处理了 {received} 条消息（重复投递只算一次），经发件箱发出 {sent} 条回复。")
    print(f"· 数据保存在 {embedded.settings.database.url}。\n")


async def run_demo(db_path: Path, *, interactive: bool | None = None) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in db_path.parent.glob(db_path.name + "*"):
        leftover.unlink()  # the tour starts from an empty book every time
    settings = demo_settings(db_path)
    async with run_embedded(settings, Options()) as embedded, aiohttp.ClientSession() as http:
        control = SimulatorControl(http, embedded.simulator_url)
        print(
            f"scrm-bot 演示：机器人 {embedded.bot_url}，企业微信模拟器 {embedded.simulator_url}\n"
        )
        verified = await control.verify("demo")
        print(f"· 回调 URL 校验：{'通过' if verified['verified'] else '失败'}\n")
        for who, text, narration in TOUR:
            print(f"· {narration}")
            _print_exchange(who, text, await ChatSession(control, "demo", who).say(text))
        await _retry_scene(control)
        for scene in scenes(embedded.runtime.options.capabilities):
            await scene(embedded, control, _print_exchange)
        await _summary(embedded)
        if interactive if interactive is not None else sys.stdin.isatty():
            await interact(ChatSession(control, "demo", "zhangsan"))
