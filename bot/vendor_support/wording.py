"""What requesters and operators read. Texts go out as plain text (message/send ``text``),
so a requester's words need no escaping here; nothing is rendered as markdown or HTML."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.tickets.wording import time_words

NEW_REQUEST = (
    "【客服请求 {number}】{tenant} · {who}：{text}\n"
    "首次响应截止 {due}。{ticket}回复发送「回复 {number} 内容」，处理完发送「关闭 {number}」。"
)
TICKET_NOTE = "已建工单 {ticket}。"
FOLLOW_UP = "【客服请求 {number} 补充】{tenant} · {who}：{text}"
ESCALATION = (
    "【客服请求超时】{number}（{tenant} · {who}）首次响应已超时 {late}，还没有人回复：{text}\n"
    "请尽快发送「回复 {number} 内容」。"
)
REPLY_TO_REQUESTER = "【客服回复 {number}】{text}\n还有问题发送「补充 {number} 内容」。"
CLOSED_TO_REQUESTER = "【客服请求 {number}】已处理完毕并关闭。还有问题可以再发送「联系客服 问题」。"

OPENED = (
    "已提交客服请求 {number}，服务商会在 {due} 前回复你。"
    "补充说明发送「补充 {number} 内容」，看进度发送「我的客服请求」。"
)
ASK_TEXT = "请写上要问的问题，例如：联系客服 打印工单的模板怎么改"
NO_DESK = "服务商还没有设置客服人员，暂时无法提交。请直接联系服务商。"
DESK_ITSELF = "你们就是服务商的客服，不需要给自己提交客服请求。"
TOO_LONG = "问题太长了（最多 {limit} 字），请精简后再发。"

REPLY_USAGE = "请按这个格式写：回复 KF0003 回复内容"
CLOSE_USAGE = "请写上请求编号，例如：关闭 KF0003"
MORE_USAGE = "请按这个格式写：补充 KF0003 补充内容"
NO_SUCH = "没有找到客服请求「{ref}」，发送「客服请求」查看待处理的请求。"
NOT_YOURS = "没有找到你提交的客服请求「{ref}」，发送「我的客服请求」查看。"
OPERATORS_ONLY = "只有服务商的客服人员可以处理客服请求。"
ALREADY_CLOSED = "客服请求 {number} 已经关闭了。"
REPLIED = "已回复 {number}（{tenant} · {who}）。"
CLOSED = "已关闭客服请求 {number}，已通知 {who}。"
ADDED = "已补充到客服请求 {number}，已转告服务商的客服。"

NONE_OPEN = "没有待处理的客服请求。"
OPEN_HEAD = "待处理的客服请求（{count} 条）："
OPEN_ROW = "{number} {tenant} · {who} {state}：{text}"
MINE_NONE = "你还没有提交过客服请求。有问题发送「联系客服 问题」。"
MINE_HEAD = "你的客服请求："
MINE_ROW = "{number} {status} {created}：{text}"
MINE_REPLY = "    最新回复（{at}）：{reply}"

STATUS_WORDS = {"open": "待回复", "answered": "已回复", "closed": "已关闭"}
PREVIEW = 40


def when(moment: datetime, tz: tzinfo) -> str:
    return time_words(moment, tz)


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


def late_words(seconds: float) -> str:
    minutes = max(1, int(seconds // 60))
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, rest = divmod(minutes, 60)
    return f"{hours} 小时{rest} 分钟" if rest else f"{hours} 小时"
