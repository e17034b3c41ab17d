"""The demo's installation scene: the provider adds 安装服务, a salesperson books an installation
for 王小明 in one sentence, the admin dispatches it to 李四 by userid (the address book is
synced in a later scene): the job goes on 李四's WeCom calendar and 李四 gets a card; the
day's plan shows it."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from bot.demo.grant import grant_module
from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

BOOK = "· 李四用一句话给王小明约安装（时间、内容、地址都在句子里）："
DISPATCH = (
    "· 管理员派工给李四：检查李四的其他安装不冲突，李四收到接单卡片，日程也进了企业微信日历："
)
CALENDAR = "  李四的企业微信日历 > {summary}"
SENTENCE = "给王小明约安装 后天下午2点 打印机2台 地址朝阳区建国路88号"
_NUMBER = re.compile(r"安装单 AZ-\d{8}-(\d{4})")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def installation_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    admin, seller = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "lisi")
    await grant_module(embedded, "installation")
    _out(BOOK)
    booked = await seller.say(SENTENCE)
    show("lisi", SENTENCE, booked)
    # The number the bot gave (a tour running across midnight numbers on the next day).
    found = _NUMBER.search("\n".join(booked))
    tail = f"AZ{found.group(1)}" if found else "AZ0001"
    _out(DISPATCH)
    since = await control.sent_count()
    show("zhangsan", f"安排 {tail} 给 lisi", await admin.say(f"安排 {tail} 给 lisi"))
    await runtime.tasks.drain()
    await runtime.sender.sweep()
    for record in await control.sent(since=since):
        if record["api"] == "oa/schedule/add":
            _out(CALENDAR.format(summary=record["body"]["schedule"]["summary"]))
    show("zhangsan", "排期 后天", await admin.say("排期 后天"))
    _out()
