"""The demo's 微信客服 scene: a customer asks a question, the servicer ends the session, the
rating menu arrives within WeCom's 20 seconds, and the customer rates and comments."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from bot.embedded import Embedded
from bot.wecom_sim.control import SimulatorControl
from models.surveys import Survey

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

KFID = "wkDEMO0000000001"
CUSTOMER = "wmDEMOCUSTOMER0000000000000001"
KF_REPLIES = ("kf/send_msg", "kf/send_msg_on_event")  # what the customer reads

INTRO = "· 微信客服：客户在微信里咨询，知识库没有答案时，机器人提供转人工："
ENDED = "· 客服李四结束了会话。机器人在 20 秒内用 send_msg_on_event 发出满意度菜单："
CLICKED = "· 客户点了「4 满意」，再留一句话："
STORED = "· 已记录：{score} 分，留言「{comment}」。低分（1–2 分）会立刻通知负责员工和管理员。\n"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _read(record: dict[str, Any]) -> str:
    body = record["body"]
    if body.get("msgtype") == "msgmenu":
        menu = body["msgmenu"]
        items = " / ".join(item["click"]["content"] for item in menu.get("list", []))
        return f"{menu['head_content']} [{items}]"
    return str(body.get("text", {}).get("content", ""))


async def _settle(embedded: Embedded, control: SimulatorControl, since: int) -> None:
    await embedded.runtime.tasks.drain()
    for record in await control.sent(since=since):
        if record["api"] in KF_REPLIES:
            _out(f"  机器人 > {_read(record)}")


async def _customer_says(
    embedded: Embedded, control: SimulatorControl, text: str, menu_id: str = ""
) -> None:
    since = await control.sent_count()
    _out(f"  客户 > {text}")
    await control.kf_say("demo", KFID, CUSTOMER, text, menu_id)
    await _settle(embedded, control, since)


async def kf_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    """Told as narration (``_out``) rather than as ``show`` exchanges: the customer writes
    in WeChat, not to the app."""
    _out(INTRO)
    await _customer_says(embedded, control, "你们周末上班吗？")
    _out(ENDED)
    since = await control.sent_count()
    await control.kf_end_session("demo", KFID, CUSTOMER, servicer_userid="lisi")
    await _settle(embedded, control, since)
    _out(CLICKED)
    await _customer_says(embedded, control, "4 满意", menu_id="csat:4")
    await _customer_says(embedded, control, "回复很快，谢谢")
    survey = await Survey.filter(recipient=f"{KFID}|{CUSTOMER}").first()
    if survey is not None and survey.score is not None:
        _out(STORED.format(score=survey.score, comment=survey.comment))
