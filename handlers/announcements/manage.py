"""The provider's operators manage announcements: 新公告, 预览公告, 发布公告, 撤回公告."""

from __future__ import annotations

from bot.announcements import phrasings, store
from bot.announcements.audience import audience_tenants, describe
from bot.announcements.cards import announcement_card
from bot.announcements.drafts import USAGE as DRAFT_USAGE
from bot.announcements.drafts import read_draft
from bot.announcements.publishing import read_publishing
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.followups.wording import time_words
from bot.subscription.operators import operators_only
from handlers.announcements.common import (
    OPERATORS_ONLY_HELP,
    numbered,
    operator_billing,
    operator_name,
    providers,
)
from models.announcements import Announcement, AnnouncementStatus

router = Router(__name__, title="公告（服务商）")

DRAFTED = (
    "已起草公告 #{id}「{title}」。\n"
    "发送「预览公告 {id}」先看卡片，「发布公告 {id}」立即发给全部客户，"
    "或「发布公告 {id} 明天10点 给 售后服务版」定时发给指定客户。"
)
PREVIEW = "公告 #{id} 的预览（只发给你）："
PUBLISHED = (
    "已发布公告 #{id}「{title}」给{audience}（{count} 家企业），卡片一分钟内送到各企业管理员。"
)
SCHEDULED = (
    "公告 #{id}「{title}」将在 {when} 发给{audience}（目前 {count} 家企业）。"
    "发送「撤回公告 {id}」可取消。"
)
NOBODY = "{audience}目前没有客户企业，公告没有发布。"
ALREADY = {
    AnnouncementStatus.PUBLISHED: "公告 #{id} 已经发布过了；要改内容请撤回后另起草一条。",
    AnnouncementStatus.REVOKED: "公告 #{id} 已撤回，不能再发布；请另起草一条。",
}
REVOKED = "已撤回公告 #{id}「{title}」。{unsent}"
UNSENT = "还没送出的 {count} 张卡片不再发送。"
NOT_SENT_YET = "它还没发出，以后也不会发送。"
REVOKED_AFTER = "已经送出的卡片收不回，成员发送「公告」也不会再看到它。"
ALREADY_REVOKED = "公告 #{id} 已经撤回过了。"


@router.command(
    "新公告",
    "起草公告",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    slots=("text",),
    examples=phrasings.DRAFT_EXAMPLES,
    phrasings=phrasings.DRAFT,
)
async def draft_announcement(ctx: Context) -> str:
    """（服务商）起草公告，例如：新公告 标题：4.2 版上线 内容：工单支持批量派单"""
    operator_billing(ctx)
    if not ctx.args.strip():
        return DRAFT_USAGE
    announcement = await store.create_draft(
        read_draft(ctx.args), operator_name(ctx), ctx.clock.now()
    )
    return DRAFTED.format(id=announcement.id, title=announcement.title)


@router.command(
    "预览公告",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    slots=("number",),
    examples=phrasings.PREVIEW_EXAMPLES,
    phrasings=phrasings.PREVIEW,
)
async def preview_announcement(ctx: Context) -> list[Reply]:
    """（服务商）把公告卡片只发给自己看，例如：预览公告 5"""
    operator_billing(ctx)
    announcement, _ = await numbered(ctx, "预览公告")
    task = f"announcement-{announcement.id}-preview-{int(ctx.clock.now().timestamp())}"
    return [Reply(PREVIEW.format(id=announcement.id)), announcement_card(announcement, task)]


@router.command(
    "发布公告",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    slots=("number", "when", "details"),
    fill="发布公告 {number} {when?} {details?}",
    examples=phrasings.PUBLISH_EXAMPLES,
    phrasings=phrasings.PUBLISH,
)
async def publish_announcement(ctx: Context) -> str:
    """（服务商）发布公告，可定时、可指定受众，例如：发布公告 5 明天10点 给 售后服务版"""
    billing = operator_billing(ctx)
    announcement, rest = await numbered(ctx, "发布公告")
    if announcement.status in ALREADY:
        return ALREADY[announcement.status].format(id=announcement.id)
    now = ctx.clock.now()
    publishing = await read_publishing(rest, now.astimezone(ctx.tenant.timezone), billing.catalog)
    audience = publishing.audience
    words = await describe(billing.catalog, audience.kind, audience.values)
    announcement.audience, announcement.audience_values = audience.kind, list(audience.values)
    count = len(await audience_tenants(billing, announcement, providers(billing)))
    if not count:
        return NOBODY.format(audience=words)
    if not await store.publish(announcement, audience, publishing.at, now):
        fresh = await Announcement.get(id=announcement.id)
        return ALREADY[fresh.status].format(id=announcement.id)
    fields = {"id": announcement.id, "title": announcement.title, "audience": words}
    if publishing.at is None:
        return PUBLISHED.format(count=count, **fields)
    when = time_words(publishing.at, ctx.tenant.timezone)
    return SCHEDULED.format(when=when, count=count, **fields)


@router.command(
    "撤回公告",
    help=OPERATORS_ONLY_HELP,
    audience=operators_only,
    slots=("number",),
    examples=phrasings.REVOKE_EXAMPLES,
    phrasings=phrasings.REVOKE,
)
async def revoke_announcement(ctx: Context) -> str:
    """（服务商）撤回公告：没送出的不再送，成员也看不到了，例如：撤回公告 5"""
    operator_billing(ctx)
    announcement, _ = await numbered(ctx, "撤回公告")
    was = announcement.status
    withdrawn = await store.revoke(announcement, ctx.clock.now())
    if withdrawn is None:
        return ALREADY_REVOKED.format(id=announcement.id)
    if was is not AnnouncementStatus.PUBLISHED:
        unsent = NOT_SENT_YET
    elif withdrawn:
        unsent = UNSENT.format(count=withdrawn) + REVOKED_AFTER
    else:
        unsent = REVOKED_AFTER
    return REVOKED.format(id=announcement.id, title=announcement.title, unsent=unsent)
