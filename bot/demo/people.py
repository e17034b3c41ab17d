"""The demo's people scene: the company's address book (seeded in the simulator) comes in with
同步通讯录, and a work order goes to a colleague who never talked to the bot, first to one of
two 王伟 through the numbered choice."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

import aiohttp

from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.control_directory import DirectorySimControl

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

DEPARTMENTS = ((2, "销售部"), (3, "售后部"))
MEMBERS = (
    ("zhangsan", "张三", 2),
    ("lisi", "李四", 2),
    ("wangwei", "王伟", 2),
    ("wangwei2", "王伟", 3),
    ("qianqi", "钱七", 3),
)
INTRO = "· 通讯录：企业微信里的部门和同事同步进来，没和机器人说过话的同事也能被派单、分配席位："
CHOICE = "· 有两位王伟，机器人列出部门让管理员选："


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


async def seed_address_book(simulator_url: str, tenant_key: str = "demo") -> None:
    async with aiohttp.ClientSession() as session:
        control = DirectorySimControl(session, simulator_url)
        for dept_id, name in DEPARTMENTS:
            await control.put_department(tenant_key, dept_id, name)
        for userid, name, dept_id in MEMBERS:
            await control.put_person(tenant_key, userid, name, [dept_id])


_TICKET_NUMBER = re.compile(r"GD-\d{8}-(\d{4})")


def _tail_in(replies: list[str]) -> str:
    for reply in replies:
        found = _TICKET_NUMBER.search(reply)
        if found is not None:
            return found.group(1)
    raise RuntimeError(f"the demo's work order was not opened: {replies}")


async def people_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    await seed_address_book(embedded.simulator_url)
    zhangsan = ChatSession(control, "demo", "zhangsan")
    _out(INTRO)
    show("zhangsan", "同步通讯录", await zhangsan.say("同步通讯录"))
    opened = await zhangsan.say("新建工单 内部 投影仪不亮")
    show("zhangsan", "新建工单 内部 投影仪不亮", opened)
    # The ticket's tail as the bot gave it: numbers restart every day, and a tour that runs
    # across midnight must not name yesterday's.
    ticket = _tail_in(opened)
    for said in (f"派单 {ticket} 给 钱七",):
        show("zhangsan", said, await zhangsan.say(said))
    _out(CHOICE)
    for said in (f"转派 {ticket} 给 王伟", "2"):
        show("zhangsan", said, await zhangsan.say(said))
