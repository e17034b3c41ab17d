"""Value-based offers: an operator's 发优惠 (``给星辰科技优惠 升级售后服务版 8折 有效期至月底``),
优惠列表 and 撤回优惠; the client's admins answer on the card (接受优惠 / 暂不需要) or with
``接受优惠 N``, which places an order at the discounted price through the usual payment flow."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.notices import tenant_for_notices
from bot.provider import offer_phrasings as phrasings
from bot.provider.clients import find_tenant
from bot.provider.offer_words import TOO_MUCH, USAGE, OfferWordsError, read_offer
from bot.provider.offers import (
    ACCEPT,
    STATUS_NAMES,
    close,
    discount_of,
    discounted,
    expire_if_due,
    parse_key,
    propose,
    record_line,
    withdraw_unsent,
)
from bot.subscription import purchases
from bot.subscription.money import format_fen
from bot.subscription.operators import operators_only
from bot.subscription.order_notices import tell_operators
from bot.subscription.orders import create_quote, place
from bot.subscription.purchases import BillingError, Purchase, change_of
from bot.subscription.quote_words import EDITION, MODULE, SEATS
from bot.subscription.service import Billing
from handlers.announcements.common import OPERATORS_ONLY_HELP, operator_name
from handlers.subscription.plan import billing_of
from handlers.subscription.purchases import (
    PLACED,
    QUOTE_HEAD,
    Build,
    Shop,
    edition_for,
    module_for,
    seats_for,
)
from models.provider import OfferStatus, ProviderOffer
from models.tenants import Role, Tenant

router = Router(__name__, title="优惠（服务商）", open_when_cancelled=True)

OPERATORS_ONLY = "只有服务商的运营人员可以发优惠、查看和撤回优惠。"
ASK_TENANT = "请写上企业名称，例如：给星辰科技优惠 升级售后服务版 8折 有效期至月底"
NO_TENANT = "没有找到名为「{name}」的企业，发送「客户健康」查看全部客户。"
FREE_NOW = "{tenant}现在办理「{summary}」不用付费（{why}），无需优惠。"
PROPOSED = (
    "已发出优惠 #{id}：{tenant} · {summary}\n"
    "原价 {list}，{label} −{off}，优惠后 {offered}\n"
    "有效期至 {day}（{tenant}当地日期），已发给 {cards} 位管理员。"
    "发送「撤回优惠 {id}」可撤回，「优惠列表」查看结果。"
)
NOBODY = "（{tenant}还没有管理员，卡片会在有管理员后由你重新发送。）"
REPEATED = (
    "{tenant}已有一条同样的优惠 #{id}（{label}，有效期至 {day}）待答复，没有重复发送。"
    "要改条件，请先「撤回优惠 {id}」。"
)
NO_RECORDS = "还没有发出过优惠。例如：给星辰科技优惠 升级售后服务版 8折 有效期至月底"
NO_RECORDS_FOR = "还没有给{tenant}发过优惠。"
RECORDS_HEAD = "优惠列表（最近 {count} 条）："
RECORDS_LIMIT = 20
ASK_NUMBER = "请写上优惠编号，例如：{command} 3（发送「优惠列表」查看编号）。"
NO_SUCH = "没有编号为 {id} 的优惠。"
WITHDRAWN = "已撤回优惠 #{id}（{tenant} · {summary}）。{unsent}"
UNSENT = "还没送出的 {count} 张卡片不再发送。"
SENT_ALREADY = "已送出的卡片上点「接受优惠」会提示已撤回。"
NOT_OPEN = "优惠 #{id} {status}，不能撤回。"
ANSWERED = {
    OfferStatus.ACCEPTED: "优惠 #{id} 已经接受过了（订单 {order}），发送「账单」查看。",
    OfferStatus.DECLINED: "优惠 #{id} 已谢绝。如需要，请联系服务商重新报价。",
    OfferStatus.EXPIRED: "优惠 #{id} 已于 {day} 到期，不能再接受。如仍需要，请联系服务商。",
    OfferStatus.WITHDRAWN: "优惠 #{id} 已被服务商撤回。如仍需要，请联系服务商。",
}
DECLINED = "好的，已谢绝优惠 #{id}（{summary}）。"
PRICE_MOVED = "套餐已变化，优惠 #{id} 现在的价格 {price} 不高于优惠金额，请联系服务商重新报价。"
ADMINS_ONLY = "只有企业管理员可以接受服务商的优惠。"
CLICKED = {ACCEPT: "已接受"}
CLICKED_DECLINE = "已谢绝"

_BUILDS = {EDITION: edition_for, SEATS: seats_for, MODULE: module_for}


def _operator_billing(ctx: Context) -> Billing:
    billing = ctx.deps.get("billing")
    if not isinstance(billing, Billing) or not billing.settings.is_operator(
        ctx.tenant.key, ctx.update.user_id
    ):
        raise UserFacingError(OPERATORS_ONLY)
    return billing


def _number(ctx: Context, command: str) -> int:
    text = ctx.args.strip().lstrip("#").removeprefix("第").removesuffix("号").strip()
    if not text.isdigit() or len(text) > 9:
        raise UserFacingError(ASK_NUMBER.format(command=command))
    return int(text)


async def _price(billing: Billing, tenant: Tenant, build: Build) -> tuple[Shop, Purchase]:
    timezone = ZoneInfo(tenant.timezone)
    snapshot = await billing.snapshot(tenant.id)
    term = billing.current(snapshot.term, timezone)
    shop = Shop(billing, term, snapshot.seat_holders, billing.today(timezone))
    try:
        return shop, build(shop)
    except BillingError as exc:
        raise UserFacingError(f"{tenant.name}：{exc.message}") from exc


@router.command(
    "发优惠",
    audience=operators_only,
    help=OPERATORS_ONLY_HELP,
    slots=("tenant", "details"),
    examples=phrasings.PROPOSE_EXAMPLES,
    phrasings=phrasings.PROPOSE,
)
async def propose_offer(ctx: Context) -> str:
    """（服务商）给客户企业发优惠，例如：给星辰科技优惠 升级售后服务版 8折 有效期至月底"""
    billing = _operator_billing(ctx)
    name, _, details = ctx.args.strip().partition(" ")
    if not name:
        raise UserFacingError(ASK_TENANT)
    tenant = await find_tenant(name)
    if tenant is None:
        raise UserFacingError(NO_TENANT.format(name=name[:20]))
    now = ctx.clock.now()
    try:
        words = read_offer(details, now.astimezone(ZoneInfo(tenant.timezone)), tenant.name)
    except OfferWordsError as exc:
        raise UserFacingError(exc.message if details.strip() else USAGE) from exc
    shop, plain = await _price(billing, tenant, _BUILDS[words.action](words.item))
    if plain.quote.total <= 0:
        why = "试用期内" if shop.term.is_trial else "它在下个周期生效，本期不收费"
        raise UserFacingError(FREE_NOW.format(tenant=tenant.name, summary=plain.summary, why=why))
    offer_priced = discounted(plain, words.discount)
    if offer_priced.offered_fen <= 0:
        off = format_fen(offer_priced.off_fen)
        raise UserFacingError(TOO_MUCH.format(off=off, price=format_fen(offer_priced.list_fen)))
    info = await tenant_for_notices(tenant.id)
    assert info is not None, "a tenant found by name is in the directory"
    proposal = await propose(
        info, operator_name(ctx), offer_priced, words.discount, words.valid_until, now
    )
    offer = proposal.offer
    label = discount_of(offer).label()
    if not proposal.fresh:
        return REPEATED.format(
            tenant=tenant.name, id=offer.id, label=label, day=offer.valid_until.isoformat()
        )
    reply = PROPOSED.format(
        id=offer.id,
        tenant=tenant.name,
        summary=offer.summary,
        list=format_fen(offer.list_fen),
        label=label,
        off=format_fen(offer.list_fen - offer.offered_fen),
        offered=format_fen(offer.offered_fen),
        day=offer.valid_until.isoformat(),
        cards=proposal.cards,
    )
    return reply if proposal.cards else reply + NOBODY.format(tenant=tenant.name)


@router.command(
    "优惠列表",
    audience=operators_only,
    help=OPERATORS_ONLY_HELP,
    slots=("tenant",),
    examples=phrasings.RECORDS_EXAMPLES,
    phrasings=phrasings.RECORDS,
)
async def offer_records(ctx: Context) -> str:
    """（服务商）发出的优惠和结果，例如：优惠列表、星辰科技的优惠"""
    _operator_billing(ctx)
    name = ctx.args.strip()
    query = ProviderOffer.all()
    tenant = None
    if name:
        tenant = await find_tenant(name)
        if tenant is None:
            raise UserFacingError(NO_TENANT.format(name=name[:20]))
        query = query.filter(tenant_id=tenant.id)
    offers = await query.order_by("-id").limit(RECORDS_LIMIT)
    if not offers:
        return NO_RECORDS_FOR.format(tenant=tenant.name) if tenant else NO_RECORDS
    now = ctx.clock.now()
    tenants = {t.id: t for t in await Tenant.filter(id__in={o.tenant_id for o in offers})}
    rows = []
    for offer in offers:
        there = tenants[offer.tenant_id]
        await expire_if_due(offer, now.astimezone(ZoneInfo(there.timezone)).date(), now)
        rows.append(record_line(offer, there))
    return "\n".join([RECORDS_HEAD.format(count=len(rows)), *rows])


@router.command(
    "撤回优惠",
    audience=operators_only,
    help=OPERATORS_ONLY_HELP,
    slots=("number",),
    examples=phrasings.WITHDRAW_EXAMPLES,
    phrasings=phrasings.WITHDRAW,
)
async def withdraw_offer(ctx: Context) -> str:
    """（服务商）撤回还没答复的优惠，例如：撤回优惠 3"""
    _operator_billing(ctx)
    number = _number(ctx, "撤回优惠")
    offer = await ProviderOffer.get_or_none(id=number)
    if offer is None:
        return NO_SUCH.format(id=number)
    tenant = await Tenant.get(id=offer.tenant_id)
    now = ctx.clock.now()
    await expire_if_due(offer, now.astimezone(ZoneInfo(tenant.timezone)).date(), now)
    if not await close(offer, OfferStatus.WITHDRAWN, operator_name(ctx), now):
        return NOT_OPEN.format(id=offer.id, status=STATUS_NAMES[offer.status])
    unsent = await withdraw_unsent(offer.id)
    note = UNSENT.format(count=unsent) if unsent else SENT_ALREADY
    return WITHDRAWN.format(id=offer.id, tenant=tenant.name, summary=offer.summary, unsent=note)


@router.command(
    "接受优惠",
    roles=[Role.ADMIN],
    slots=("number",),
    examples=phrasings.ACCEPT_EXAMPLES,
    phrasings=phrasings.ACCEPT,
)
async def accept_offer(ctx: Context) -> str:
    """（管理员）接受服务商的优惠并下单，例如：接受优惠 3"""
    return await _accept(ctx, _number(ctx, "接受优惠"))


def is_offer_button(ctx: Context) -> bool:
    return parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.event("template_card_event", filters=[is_offer_button])
async def offer_button(ctx: Context) -> str:
    parsed = parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, offer_id = parsed
    if not ctx.is_admin:
        return ADMINS_ONLY
    if action == ACCEPT:
        reply = await _accept(ctx, offer_id)
        if not reply.startswith("【报价】"):
            return reply
        mark_clicked(ctx, CLICKED[ACCEPT])
        return reply
    return await _decline(ctx, offer_id)


async def _open_offer(ctx: Context, offer_id: int) -> ProviderOffer | str:
    """The tenant's offer ``offer_id`` if it still waits for an answer; else the reply why not
    (a reply, not a ``UserFacingError``: that would undo marking it expired)."""
    offer = await ProviderOffer.get_or_none(id=offer_id, tenant_id=ctx.tenant.id)
    if offer is None:
        return NO_SUCH.format(id=offer_id)
    billing = billing_of(ctx)
    await expire_if_due(offer, billing.today(ctx.tenant.timezone), ctx.clock.now())
    if offer.status is not OfferStatus.PROPOSED:
        return _answered(offer)
    return offer


def _answered(offer: ProviderOffer) -> str:
    return ANSWERED[offer.status].format(
        id=offer.id, order=offer.order_id, day=offer.valid_until.isoformat()
    )


async def _accept(ctx: Context, offer_id: int) -> str:
    offer = await _open_offer(ctx, offer_id)
    if isinstance(offer, str):
        return offer
    billing = billing_of(ctx)
    tenant = await Tenant.get(id=ctx.tenant.id)

    def build(shop: Shop) -> Purchase:
        change = change_of(offer.change)
        return purchases.change(shop.catalog, shop.term, change, offer.summary, shop.today)

    shop, plain = await _price(billing, tenant, build)
    offer_priced = discounted(plain, discount_of(offer), offer.id)
    if offer_priced.offered_fen <= 0:
        return PRICE_MOVED.format(id=offer.id, price=format_fen(offer_priced.list_fen))
    by = ctx.update.user_id or "admin"
    now = ctx.clock.now()
    if not await close(offer, OfferStatus.ACCEPTED, by, now):
        fresh = await ProviderOffer.get(id=offer.id)
        return _answered(fresh)
    purchase = offer_priced.purchase
    order = await create_quote(ctx.tenant.id, purchase, shop.term, by, now)
    await ProviderOffer.filter(id=offer.id).update(order_id=order.id)
    settlement = await place(billing, order, by, now)
    if settlement.message:
        raise UserFacingError(settlement.message)
    await tell_operators(billing.settings.operators, order, tenant, now)
    total = format_fen(offer_priced.offered_fen)
    return "\n".join(
        [
            QUOTE_HEAD.format(summary=purchase.summary),
            purchase.quote.render(),
            PLACED.format(id=order.id, summary=order.summary, total=total),
        ]
    )


async def _decline(ctx: Context, offer_id: int) -> str:
    offer = await _open_offer(ctx, offer_id)
    if isinstance(offer, str):
        return offer
    if not await close(offer, OfferStatus.DECLINED, ctx.update.user_id or "", ctx.clock.now()):
        return _answered(await ProviderOffer.get(id=offer.id))
    mark_clicked(ctx, CLICKED_DECLINE)
    return DECLINED.format(id=offer.id, summary=offer.summary)
