"""附件 0001: pictures and files for a ticket, sent as the next messages, kept as WeCom media
ids on an internal comment. WeCom keeps a received media id for three days, so the comment
says which message brought it and when."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, MsgTypeIs, StateIs
from bot.dispatch.router import Router
from bot.tickets import phrasings
from bot.tickets.numbers import LEADING_REF
from bot.tickets.people import ensure_may_work
from bot.tickets.store import add_comment, record
from handlers.tickets.create import ticket_or_refusal
from models.tickets import Ticket

router = Router(__name__, title="工单", module="tickets")


class AttachStep(StrEnum):
    COLLECT = "ticket_attachments"


MEDIA_TYPES = ("image", "file", "video", "voice")
MEDIA_WORDS = {"image": "图片", "file": "文件", "video": "视频", "voice": "语音"}
ATTACH_TTL = timedelta(minutes=10)
MAX_ATTACHMENTS = 9
USAGE = "请按这个格式写：附件 0001，然后发送图片或文件"
ASK = "请发送工单 {number} 的图片或文件（最多 {limit} 个），发完回复「完成」，回复「取消」放弃。"
GOT = "收到第 {count} 个附件（{kind}）。继续发送，发完回复「完成」。"
FULL = "最多 {limit} 个附件，请回复「完成」保存。"
NO_MEDIA = "这条消息里没有可保存的附件，请发送图片或文件。"
NOTHING = "还没有收到附件。请发送图片或文件，或回复「取消」放弃。"
SAVED = "已给工单 {number} 添加 {count} 个附件。"
CANCELLED = "好的，没有添加附件。"
GONE = "这张工单已不存在。"
COMMENT = "{count} 个（{kinds}）"


@router.command(
    "附件",
    "attach",
    args_like=LEADING_REF,
    slots=("ticket",),
    examples=phrasings.ATTACH_EXAMPLES,
    phrasings=phrasings.ATTACH,
)
async def start_attaching(ctx: Context) -> str:
    """附件 0001：给工单添加图片或文件"""
    ref = ctx.args.strip()
    if not ref:
        raise UserFacingError(USAGE)
    ticket = await ticket_or_refusal(ctx, ref)
    await ensure_may_work(ctx, ticket)
    assert ctx.conversation is not None
    data = {"ticket_id": ticket.id, "media": [], "kinds": []}
    await ctx.conversation.set(AttachStep.COLLECT, data, ttl=ATTACH_TTL)
    return ASK.format(number=ticket.number, limit=MAX_ATTACHMENTS)


@router.on(StateIs(AttachStep.COLLECT), MsgTypeIs(*MEDIA_TYPES))
async def collect_media(ctx: Context) -> str:
    assert ctx.conversation is not None
    media_id = str(ctx.update.fields.get("MediaId", ""))
    if not media_id:
        return NO_MEDIA
    data = ctx.conversation.data
    if len(data["media"]) >= MAX_ATTACHMENTS:
        return FULL.format(limit=MAX_ATTACHMENTS)
    kind = MEDIA_WORDS[ctx.update.msg_type]
    data["media"] = [*data["media"], media_id]
    data["kinds"] = [*data["kinds"], kind]
    await ctx.conversation.set(AttachStep.COLLECT, data, ttl=ATTACH_TTL)
    return GOT.format(count=len(data["media"]), kind=kind)


@router.message(StateIs(AttachStep.COLLECT), Command("取消", "cancel"))
async def cancel_attaching(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(AttachStep.COLLECT), Command("完成", "done"))
async def save_attachments(ctx: Context) -> str:
    assert ctx.conversation is not None
    data = ctx.conversation.data
    if not data["media"]:
        return NOTHING
    await ctx.conversation.clear()
    ticket = await Ticket.get_or_none(tenant_id=ctx.tenant.id, id=int(data["ticket_id"]))
    if ticket is None:
        return GONE
    now = ctx.clock.now()
    text = COMMENT.format(count=len(data["media"]), kinds="、".join(data["kinds"]))
    await add_comment(ticket, ctx.employee, text, now, internal=True, attachments=data["media"])
    await record(ticket, ctx.employee, "attach", now, detail=text)
    return SAVED.format(number=ticket.number, count=len(data["media"]))
