"""The demo's customer scene: a WeChat user adds a salesperson, gets the welcome message
within WeCom's 20 seconds, and the salesperson looks the new customer up and notes a detail."""

from __future__ import annotations

import sys
from collections.abc import Callable

import aiohttp

from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.control_contacts import ContactsSimControl
from models.tenants import Employee

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

# The demo has no address-book sync, so it names its employees itself ({员工名} in welcomes).
NAMES = {"zhangsan": "张三", "lisi": "李四"}
ADDED = (
    "· 微信用户「王小明」扫了李四的「联系我」二维码（渠道 展会），"
    "企业微信回调 add_external_contact。机器人取回客户资料，并在 20 秒内发出欢迎语："
)
WELCOMED = "  客户收到 > {text}"
NOT_WELCOMED = "  （欢迎语没有发出，见日志）"
LOOKUP = "· 李四查这位新客户：手机号只对负责人和管理员完整显示。"
NOTE = "· 记一笔，客户的动态和价值评分随之更新："
NATURAL = "· 不用记命令格式，平常怎么说就怎么发："
# What people actually type, each understood as the command it means.
NATURAL_LINES = (
    "帮我查一下王小明",
    "给王小明打个标签 重点客户",
    "下周三上午10点提醒我回访王小明",
    "最近王小明这边有什么动态",
)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


async def _customer_adds_lisi(embedded: Embedded) -> list[str]:
    """Play the customer in the simulator; answers the welcome texts that reached them."""
    async with aiohttp.ClientSession() as http:
        contacts = ContactsSimControl(http, embedded.simulator_url)
        since = await contacts.sent_count()
        await contacts.add_contact(
            "demo",
            "lisi",
            name="王小明",
            state="展会",
            remark_mobiles=["13800138000"],
            remark_corp_name="华夏科技",
        )
        await embedded.runtime.tasks.drain()
        return [
            r["body"]["text"]["content"]
            for r in await contacts.sent(since=since)
            if r["api"] == "externalcontact/send_welcome_msg"
        ]


async def customer_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    for userid, name in NAMES.items():
        await Employee.filter(tenant__key="demo", userid=userid).update(name=name)
    _out(ADDED)
    welcomes = await _customer_adds_lisi(embedded)
    _out(WELCOMED.format(text=welcomes[0]) if welcomes else NOT_WELCOMED)
    _out("")
    seller = ChatSession(control, "demo", "lisi")
    _out(LOOKUP)
    show("lisi", "查客户 王小明", await seller.say("查客户 王小明"))
    _out(NOTE)
    note = "客户 王小明 备注 对价格敏感，下周发报价"
    show("lisi", note, await seller.say(note))
    _out(NATURAL)
    for line in NATURAL_LINES:
        show("lisi", line, await seller.say(line))
