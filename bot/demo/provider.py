"""The demo's last scene, from the provider's side: its operator (王芳, in the provider's own
WeCom) sees how the demo enterprise uses the bot, publishes an upgrade announcement that
reaches the enterprise's admin as a card, and answers a support request that 李四 sends from
the enterprise's app."""

from __future__ import annotations

import sys

from bot.demo.orders import Show
from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession, message_text
from bot.wecom_sim.control import SimulatorControl
from scheduler.announcements import announcement_jobs

# The provider's own enterprise, where its operators sit ([subscription] operators).
PROVIDER_TENANT = {
    "key": "vendor",
    "corp_id": "wwvendor00000000001",
    "name": "云帆软件（服务商）",
    "timezone": "Asia/Shanghai",
    "admins": ["wangfang"],
    "app": {
        "agent_id": 1000002,
        "secret": "vendor-app-secret",
        "token": "VendorCallbackToken",
        "encoding_aes_key": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
    },
}
OPERATOR = "wangfang"
OPERATORS = [f"{PROVIDER_TENANT['key']}:{OPERATOR}"]

HEADING = "· 最后换到服务商这边：运营人员王芳在服务商自己的企业微信里看客户、发公告、回客服请求。"
HEALTH = "· 客户健康度（按用量、活跃、广度和续费打分）与一家企业的概况："
ANNOUNCE = "· 起草并发布升级公告，演示企业的管理员收到带「知道了」按钮的卡片："
SUPPORT = "· 演示企业的李四向服务商求助，王芳回复，回复回到李四的企业微信："
RECEIVED = "  {who}收到 > {text}"

SAID = (
    (OPERATOR, "客户健康"),
    (OPERATOR, "演示科技用得怎么样"),
)
DRAFT = "新公告 标题：4.2 版上线 内容：工单支持批量派单，订单支持分期收款"
ASK = "联系客服 打印工单的模板怎么改"
ANSWER = "回复 KF0001 模板在「设置 - 打印模板」里改，改完立即生效"


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def _received(control: SimulatorControl, since: int, userid: str, who: str) -> None:
    for record in await control.sent(since=since):
        if record["api"] == "message/send" and userid in str(record["body"].get("touser", "")):
            for line in message_text(record["body"]).splitlines():
                _out(RECEIVED.format(who=who, text=line))


async def provider_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.services is not None and runtime.sender is not None
    operator = ChatSession(control, "vendor", OPERATOR)
    seller = ChatSession(control, "demo", "lisi")
    await runtime.sender.sweep()  # earlier scenes' notices, so what follows reads alone
    _out(HEADING)
    _out(HEALTH)
    for who, text in SAID:
        show(who, text, await operator.say(text))
    _out(ANNOUNCE)
    [drafted] = await operator.say(DRAFT)
    show(OPERATOR, DRAFT, [drafted])
    show(OPERATOR, "发布公告 1", await operator.say("发布公告 1"))
    since = await control.sent_count()
    for job in announcement_jobs(runtime.services):
        await job.run()  # the minute's sweep, without waiting for it
    await runtime.sender.sweep()
    await _received(control, since, "zhangsan", "张三")
    _out(SUPPORT)
    since = await control.sent_count()
    show("lisi", ASK, await seller.say(ASK))
    await runtime.sender.sweep()
    await _received(control, since, OPERATOR, "王芳")
    since = await control.sent_count()
    show(OPERATOR, ANSWER, await operator.say(ANSWER))
    await runtime.sender.sweep()  # what the outbox sweep does within seconds
    await _received(control, since, "lisi", "李四")
    _out()
