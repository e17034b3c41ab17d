"""联系客服, 补充 and 我的客服请求: a client enterprise's members asking the provider.

Any member may ask, not only admins: the person stuck on 打印模板 or 导出客户 is usually a
salesperson or a clerk, and routing their question through an admin only delays it. The
request carries who asked, and the answers go back to that person.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.subscription.settings import SubscriptionSettings
from bot.vendor_support import phrasings, wording
from bot.vendor_support.desk import Desk, find_desk
from bot.vendor_support.desk_ticket import ticket_followed_up
from bot.vendor_support.numbers import format_number, parse_number
from bot.vendor_support.settings import VendorSupportSettings
from bot.vendor_support.store import follow_up, open_request
from models.vendor_support import RequestStatus, SupportRequest

router = Router(__name__, title="客服")

# 帮助's overview must fit one WeCom message: only 联系客服 is listed there. The follow-up
# commands are taught by the replies that make them useful (the request's number, a reply),
# and the operators' by each notice they get.
HIDDEN = ""

TEXT_LIMIT = 1000
MINE_LIMIT = 10


def support_settings(ctx: Context) -> VendorSupportSettings:
    found = getattr(ctx.deps.get("settings"), "vendor_support", None)
    return found if isinstance(found, VendorSupportSettings) else VendorSupportSettings()


def subscription_settings(ctx: Context) -> SubscriptionSettings:
    found = getattr(ctx.deps.get("settings"), "subscription", None)
    return found if isinstance(found, SubscriptionSettings) else SubscriptionSettings()


async def desk_of(ctx: Context) -> Desk:
    desk = await find_desk(subscription_settings(ctx).operators)
    if desk is None:
        raise UserFacingError(wording.NO_DESK)
    return desk


@router.command(
    "联系客服",
    "找客服",
    slots=("text",),
    examples=phrasings.ASK_EXAMPLES,
    phrasings=phrasings.ASK,
)
async def ask_provider(ctx: Context) -> str:
    """联系客服 打印工单的模板怎么改：向服务商提问，回复会发到这里"""
    text = ctx.args.strip()
    if not text:
        return wording.ASK_TEXT
    if len(text) > TEXT_LIMIT:
        return wording.TOO_LONG.format(limit=TEXT_LIMIT)
    desk = await desk_of(ctx)
    if desk.tenant.id == ctx.tenant.id:
        return wording.DESK_ITSELF
    opened = await open_request(ctx, desk, text, support_settings(ctx))
    number = format_number(opened.request.id)
    due = wording.when(opened.request.response_due_at, ctx.tenant.timezone)
    return wording.OPENED.format(number=number, due=due)


@router.command(
    "补充",
    help=HIDDEN,
    slots=("number", "text"),
    examples=phrasings.MORE_EXAMPLES,
    phrasings=phrasings.MORE,
)
async def add_to_request(ctx: Context) -> str:
    """补充 KF0003 是A4纸的模板：给自己提交的客服请求补充说明"""
    ref, _, text = ctx.args.strip().partition(" ")
    number = parse_number(ref)
    if number is None or not text.strip():
        return wording.MORE_USAGE
    request = await SupportRequest.get_or_none(
        id=number, tenant_id=ctx.tenant.id, requester_userid=ctx.update.user_id or ""
    )
    if request is None:
        return wording.NOT_YOURS.format(ref=ref)
    if request.status is RequestStatus.CLOSED:
        return wording.ALREADY_CLOSED.format(number=format_number(request.id))
    desk = await desk_of(ctx)
    await follow_up(request, desk, ctx.tenant.name, text.strip(), ctx.clock.now())
    await ticket_followed_up(request, text.strip(), ctx.clock.now())
    return wording.ADDED.format(number=format_number(request.id))


@router.command(
    "我的客服请求",
    help=HIDDEN,
    examples=phrasings.MINE_EXAMPLES,
    phrasings=phrasings.MINE,
)
async def my_requests(ctx: Context) -> str:
    """我的客服请求：看自己提交的客服请求、状态和最新回复"""
    rows = (
        await SupportRequest.filter(
            tenant_id=ctx.tenant.id, requester_userid=ctx.update.user_id or ""
        )
        .order_by("-id")
        .limit(MINE_LIMIT)
    )
    if not rows:
        return wording.MINE_NONE
    tz = ctx.tenant.timezone
    lines = [wording.MINE_HEAD]
    for row in rows:
        lines.append(
            wording.MINE_ROW.format(
                number=format_number(row.id),
                status=wording.STATUS_WORDS[row.status.value],
                created=wording.when(row.created_at, tz),
                text=wording.preview(row.text),
            )
        )
        if row.last_reply and row.last_reply_at is not None:
            at = wording.when(row.last_reply_at, tz)
            lines.append(wording.MINE_REPLY.format(at=at, reply=wording.preview(row.last_reply)))
    return "\n".join(lines)
