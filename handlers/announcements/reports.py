"""The provider's operators see where announcements went: 公告送达 5 and 公告列表."""

from __future__ import annotations

from datetime import tzinfo

from tortoise.functions import Count

from bot.announcements import phrasings
from bot.announcements.audience import describe
from bot.announcements.store import reach_by_tenant
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.followups.wording import time_words
from bot.subscription.catalog_types import Catalog
from bot.subscription.operators import operators_only
from handlers.announcements.common import OPERATORS_ONLY_HELP, numbered, operator_billing
from models.announcements import Announcement, AnnouncementDelivery, AnnouncementStatus

router = Router(__name__, title="公告（服务商）")

LISTED = 20
STATUS_WORDS = {
    AnnouncementStatus.DRAFT: "草稿",
    AnnouncementStatus.SCHEDULED: "定时",
    AnnouncementStatus.PUBLISHED: "已发布",
    AnnouncementStatus.REVOKED: "已撤回",
}
NOT_YET = "公告 #{id}「{title}」还没有发布（{status}），没有送达记录。"
REACH_HEAD = "公告 #{id}「{title}」{status}，给{audience}：共送达 {delivered} 人，已读 {read} 人。"
REACH_LINE = "· {name}：送达 {delivered}，已读 {read}"
NOBODY_YET = "还没有送达任何人（发布后一分钟内送出）。"
NONE = "还没有公告。发送「新公告 标题：… 内容：…」起草一条。"
LIST_HEAD = "公告（最近 {count} 条）："
LIST_LINE = "#{id} {title} · {state} · 送达 {delivered}"


def _state(announcement: Announcement, tz: tzinfo) -> str:
    word = STATUS_WORDS[announcement.status]
    if announcement.status is AnnouncementStatus.SCHEDULED and announcement.publish_at:
        return f"{word} {time_words(announcement.publish_at, tz)}"
    if announcement.status is AnnouncementStatus.PUBLISHED and announcement.published_at:
        return f"{word} {time_words(announcement.published_at, tz)}"
    return word


async def _audience(catalog: Catalog, announcement: Announcement) -> str:
    return await describe(catalog, announcement.audience, announcement.audience_values)


@router.command(
    "公告送达",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    slots=("number",),
    examples=phrasings.REACH_EXAMPLES,
    phrasings=phrasings.REACH,
)
async def announcement_reach(ctx: Context) -> str:
    """（服务商）公告送达和已读人数，按企业列出，例如：公告送达 5"""
    billing = operator_billing(ctx)
    announcement, _ = await numbered(ctx, "公告送达")
    tz = ctx.tenant.timezone
    fields = {"id": announcement.id, "title": announcement.title}
    if announcement.status in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED):
        return NOT_YET.format(status=_state(announcement, tz), **fields)
    rows = await reach_by_tenant(announcement.id)
    head = REACH_HEAD.format(
        status=_state(announcement, tz),
        audience=await _audience(billing.catalog, announcement),
        delivered=sum(r.delivered for r in rows),
        read=sum(r.read for r in rows),
        **fields,
    )
    if not rows:
        return f"{head}\n{NOBODY_YET}"
    lines = [REACH_LINE.format(name=r.name, delivered=r.delivered, read=r.read) for r in rows]
    return "\n".join([head, *lines])


@router.command(
    "公告列表",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    examples=phrasings.LIST_EXAMPLES,
    phrasings=phrasings.LIST,
)
async def list_announcements(ctx: Context) -> str:
    """（服务商）最近的公告和它们的状态"""
    operator_billing(ctx)
    recent = await Announcement.all().order_by("-id").limit(LISTED)
    if not recent:
        return NONE
    delivered = dict(
        await AnnouncementDelivery.filter(announcement_id__in=[a.id for a in recent])
        .annotate(n=Count("id"))
        .group_by("announcement_id")
        .values_list("announcement_id", "n")
    )
    tz = ctx.tenant.timezone
    lines = [
        LIST_LINE.format(
            id=a.id, title=a.title, state=_state(a, tz), delivered=int(delivered.get(a.id, 0))
        )
        for a in recent
    ]
    return "\n".join([LIST_HEAD.format(count=len(recent)), *lines])
