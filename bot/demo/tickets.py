"""The demo's work-order scene (the subscription scene has just bought 售后工单): an employee
opens a ticket, the admin dispatches it, the assignee accepts it on the card's button (which
greys out), resolves it, and the admin reads its timeline."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession, message_text
from bot.wecom_sim.control import SimulatorControl

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

OPEN = "· 售后工单已开通。李四登记一张工单，管理员把它派给李四："
CARD = "  李四收到派单卡片 > {text}"
CLICK = "· 李四点了卡片上的「接单」：卡片按钮随即变灰，显示「{label}」。"
CLICK_REPLY = "  机器人 > {text}"
RESOLVE = "· 处理完毕，李四标记解决；管理员查看工单的完整时间线："
CARD_GONE = "  （没有收到派单卡片，见日志）"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


async def _card_for(control: SimulatorControl, userid: str, since: int) -> dict[str, object] | None:
    for record in await control.sent(since=since):
        body = record["body"]
        if body.get("msgtype") == "template_card" and userid in str(body.get("touser", "")):
            card = body["template_card"]
            return card if isinstance(card, dict) else None
    return None


async def _accept(embedded: Embedded, control: SimulatorControl, card: dict[str, object]) -> None:
    buttons = card.get("button_list")
    accept = (
        next(b for b in buttons if b.get("text") == "接单") if isinstance(buttons, list) else None
    )
    if accept is None:
        _out(CARD_GONE)
        return
    since = await control.sent_count()
    await control.click_card("demo", "lisi", str(card["task_id"]), str(accept["key"]))
    await embedded.runtime.tasks.drain()
    label = "已接单"
    for record in await control.sent(since=since):
        if record["api"] == "message/update_template_card":
            label = str(record["body"]["button"]["replace_name"])
        elif record["body"].get("touser") == "lisi":
            _out(CLICK_REPLY.format(text=message_text(record["body"]).splitlines()[0]))
    _out(CLICK.format(label=label) + "\n")


async def ticket_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    lisi, zhangsan = ChatSession(control, "demo", "lisi"), ChatSession(control, "demo", "zhangsan")
    _out(OPEN)
    created = "新建工单 内部 会议室打印机卡纸 高 类别 硬件"
    show("lisi", created, await lisi.say(created))
    since = await control.sent_count()
    show("zhangsan", "派单 0001 给 lisi", await zhangsan.say("派单 0001 给 lisi"))
    card = await _card_for(control, "lisi", since)
    if card is None:
        _out(CARD_GONE)
        return
    text = message_text({"msgtype": "template_card", "template_card": card})
    _out(CARD.format(text=text.replace("\n", "\n" + " " * 11)))
    await _accept(embedded, control, card)
    _out(RESOLVE)
    show("lisi", "解决 0001 清理了搓纸轮", await lisi.say("解决 0001 清理了搓纸轮"))
    show("zhangsan", "工单 0001", await zhangsan.say("工单 0001"))
