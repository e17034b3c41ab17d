"""Members read announcements: 公告 (unread first; reading marks them read), and the card's
知道了 button, which is the read receipt."""

from __future__ import annotations

from bot.announcements import cards, phrasings
from bot.announcements.reading import for_tenant, mark_read, unread_first
from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.followups.wording import time_words
from bot.subscription.operators import is_operator
from handlers.announcements.common import OPERATOR_COMMANDS, billing_of, providers
from models.announcements import Announcement, AnnouncementStatus

router = Router(__name__, title="公告")

NONE = "最近没有新公告。"
HEAD = "最近的公告（{unread} 条未读）："
ENTRY = "{mark}#{id} {title}（{when}）\n{body}"
UNREAD_MARK = "【未读】"
ACKED = "好的，公告 #{id}「{title}」已确认收到。发送「公告」可以随时再看。"
GONE = "这条公告已撤回，不用处理。"
CLICKED = "已知道"


def is_announcement_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.command("公告", examples=phrasings.READ_EXAMPLES, phrasings=phrasings.READ)
async def read_announcements(ctx: Context) -> str:
    """服务商发来的最近公告（新功能、升级），未读的在前"""
    billing = billing_of(ctx)
    userid = ctx.update.user_id or ""
    found = await for_tenant(billing, ctx.tenant.id, providers(billing))
    if is_operator(ctx) and not found:
        return OPERATOR_COMMANDS  # the provider sends announcements rather than reads them
    if not found:
        return NONE
    ordered, read = await unread_first(found, ctx.tenant.id, userid)
    now = ctx.clock.now()
    entries = []
    for a in ordered:
        when = time_words(a.published_at or a.created_at, ctx.tenant.timezone)
        mark = "" if a.id in read else UNREAD_MARK
        entries.append(ENTRY.format(mark=mark, id=a.id, title=a.title, when=when, body=a.body))
        await mark_read(a.id, ctx.tenant.id, userid, now)
    unread = len(ordered) - len(read)
    return "\n\n".join([HEAD.format(unread=unread), *entries])


@router.event("template_card_event", filters=[is_announcement_button])
async def acknowledge(ctx: Context) -> str:
    announcement_id = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert announcement_id is not None
    announcement = await Announcement.get_or_none(id=announcement_id)
    if announcement is None or announcement.status is AnnouncementStatus.REVOKED:
        return GONE
    mark_clicked(ctx, CLICKED)
    await mark_read(announcement.id, ctx.tenant.id, ctx.update.user_id or "", ctx.clock.now())
    return ACKED.format(id=announcement.id, title=announcement.title)
