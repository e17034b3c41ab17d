"""The demo's installation scene: the provider adds 安装服务, a salesperson books an installation
for 王小明 in one sentence, the admin dispatches it to 李四 by userid (the address book is
synced in a later scene): the job goes on 李四's WeCom calendar and 李四 gets a card; the
day's plan shows it.

Then the day of the visit (the demo moves the appointment to this moment, since the tour runs
at whatever time it is): 王小明 writes in 微信客服, 李四 checks in with a location, sends two
photos and completes the job, the confirmation reaches 王小明 in the open chat, he answers
there, and the satisfaction survey goes out."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.demo.grant import grant_module
from bot.demo.kf import KFID
from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.crm.customers import Customer
from models.installation import InstallJob
from models.surveys import Survey, SurveyChannel

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

BOOK = "· 李四用一句话给王小明约安装（时间、内容、地址都在句子里）："
DISPATCH = (
    "· 管理员派工给李四：检查李四的其他安装不冲突，李四收到接单卡片，日程也进了企业微信日历："
)
CALENDAR = "  李四的企业微信日历 > {summary}"
SENTENCE = "给王小明约安装 后天下午2点 打印机2台 地址朝阳区建国路88号"
_NUMBER = re.compile(r"安装单 (AZ-\d{8}-(\d{4}))")
ON_THE_DAY = "· 到了安装当天（演示把这单的时间挪到此刻），张三改派给王五上门："
KF_OPENED = "· 王小明在微信客服里问了一句，会话打开："
ASKED = "师傅今天几点到？"
# The visit is 王五's: 李四 has had WeCom's 30 messages a minute by then.
INSTALLER = "wangwu"
ON_SITE = "· 王五到场发送位置签到，拍两张现场照片，然后完工。确认请求发进王小明打开的微信客服会话："
LOCATION = {"Location_X": "39.9087", "Location_Y": "116.4605", "Scale": "15"}
ADDRESS = "朝阳区建国路88号"
ANSWERED = "· 王小明直接在会话里回复，和点确认页一样只算一次；确认后满意度问卷随即发出："
ANSWER = "好的，已经装好了"
SURVEYED = "· 已记录：安装单 {number} 客户已确认，满意度问卷已发给王小明（{channel}）。\n"


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
    number, tail = (found.group(1), f"AZ{found.group(2)}") if found else ("", "AZ0001")
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
    if number:
        await _the_day_of_the_visit(embedded, control, show, number, tail)


async def _the_day_of_the_visit(
    embedded: Embedded, control: SimulatorControl, show: Show, number: str, tail: str
) -> None:
    runtime = embedded.runtime
    admin, installer = (
        ChatSession(control, "demo", "zhangsan"),
        ChatSession(control, "demo", INSTALLER),
    )
    now = runtime.options.clock.now()
    # The appointment starts now, so the check-in finds it whatever the hour of the tour.
    await InstallJob.filter(tenant__key="demo", number=number).update(
        window_start=now, window_end=now + timedelta(hours=2)
    )
    customer = await Customer.get(tenant__key="demo", name="王小明")
    assert customer.external_userid is not None
    _out(ON_THE_DAY)
    show("zhangsan", f"安排 {tail} 给 {INSTALLER}", await admin.say(f"安排 {tail} 给 {INSTALLER}"))
    _out(KF_OPENED)
    await _customer_says(embedded, control, customer.external_userid, ASKED)
    _out(ON_SITE)
    label = f"[位置] {ADDRESS}"
    location = {"MsgType": "location", "Label": ADDRESS, **LOCATION}
    show(INSTALLER, label, await _member_sends(installer, location))
    for n in (1, 2):
        media_id = await control.member_file(f"demo-site-photo-{n}")
        photo = {"MsgType": "image", "MediaId": media_id, "PicUrl": "http://demo.invalid/p.jpg"}
        show(INSTALLER, f"[照片 {n}]", await _member_sends(installer, photo))
    since = await control.sent_count()
    done = f"完工 {tail} 已装好测试正常"
    show(INSTALLER, done, await installer.say(done))
    await _customer_reads(embedded, control, since)
    _out(ANSWERED)
    await _customer_says(embedded, control, customer.external_userid, ANSWER)
    survey = await Survey.filter(trigger_ref=number).first()
    if survey is not None:
        by = "微信客服" if survey.channel is SurveyChannel.KF else "员工转发的链接"
        _out(SURVEYED.format(number=number, channel=by))


async def _member_sends(session: ChatSession, fields: dict[str, Any]) -> list[str]:
    since = await session.control.sent_count()
    await session.control.deliver("demo", {"FromUserName": session.user_id, **fields})
    return await session.replies(since)


async def _customer_says(
    embedded: Embedded, control: SimulatorControl, external_userid: str, text: str
) -> None:
    since = await control.sent_count()
    _out(f"  王小明（微信客服） > {text}")
    await control.kf_say("demo", KFID, external_userid, text)
    await _customer_reads(embedded, control, since)


async def _customer_reads(embedded: Embedded, control: SimulatorControl, since: int) -> None:
    """What reached the customer in the kf chat, the survey's queued message included."""
    runtime = embedded.runtime
    assert runtime.sender is not None
    await runtime.tasks.drain()
    await runtime.sender.sweep()
    for record in await control.sent(since=since):
        if record["api"] == "kf/send_msg":
            text = _kf_text(record["body"]).replace("\n", "\n" + " " * 13)
            _out(f"  王小明收到 > {text}")
    _out()


def _kf_text(body: dict[str, Any]) -> str:
    if body.get("msgtype") == "msgmenu":
        menu = body["msgmenu"]
        items = " / ".join(item["click"]["content"] for item in menu.get("list", []))
        return f"{menu['head_content']} [{items}]"
    return str(body.get("text", {}).get("content", ""))
