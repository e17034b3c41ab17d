"""The provider's operators ask about their clients in chat: 客户健康, 企业概况 (also
``客户 <tenant>``), 续费风险. Operators are ``[subscription] operators``; anyone else is
refused without a word of the data, and their ``客户 张总`` stays the CRM's."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.provider import phrasings, views
from bot.provider.care import care_of
from bot.provider.clients import ClientFacts, client_facts, find_tenant
from bot.provider.health import Health, health_of, healths_of
from bot.provider.roster import every_client_facts
from bot.provider.value import growth, headcount, headcounts, lifetime_value, monthly_revenue
from bot.subscription.operators import (
    is_operator,
    operator_billing,
    operators_only,
)
from bot.subscription.service import Billing
from models.tenants import Tenant

router = Router(__name__, title="服务商")

OPERATORS_ONLY = "这是服务商运营人员的查询，你没有权限查看。"
ASK_TENANT = "请写企业名称或标识，例如：企业概况 星辰科技"
NO_TENANT = "没有找到名为「{name}」的企业，发送「客户健康」查看全部客户。"
FOUND_KEY = "provider.tenant"  # the tenant a ``客户 <name>`` filter found, for its handler
CUSTOMER_WORD = "客户"
# Not in 帮助: every client's members read it, and these are the provider's own (the README's
# "For the provider" lists them, as it does the announcements' operator commands).
NOT_LISTED = ""


def _billing(ctx: Context) -> Billing | None:
    billing = ctx.deps.get("billing")
    return billing if isinstance(billing, Billing) else None


def _operator_billing(ctx: Context) -> Billing:
    return operator_billing(ctx, OPERATORS_ONLY)


async def _assessed(billing: Billing, tenant: Tenant, ctx: Context) -> tuple[ClientFacts, Health]:
    facts = await client_facts(billing, tenant, ctx.clock.now())
    return facts, await health_of(facts)


async def _profile(ctx: Context, billing: Billing, tenant: Tenant) -> str:
    facts, health = await _assessed(billing, tenant, ctx)
    monthly = await monthly_revenue(tenant.id, ctx.clock.now())
    value = views.Value(
        monthly_fen=monthly,
        lifetime_fen=lifetime_value(monthly, health.tier),
        growth=growth(billing.catalog, facts, await headcount(tenant.id)),
    )
    care = await care_of(tenant.id, ctx.clock.now())
    return views.profile(billing.catalog, facts, health, value, care)


async def _everyone(ctx: Context) -> tuple[Billing, list[tuple[ClientFacts, Health]]]:
    billing = _operator_billing(ctx)
    clients = await every_client_facts(billing, ctx.clock.now())
    return billing, list(zip(clients, await healths_of(clients), strict=True))


async def operator_asks_for_a_tenant(ctx: Context) -> bool:
    """``客户 <name>`` is the operator's tenant lookup only when an operator says it and
    the name is a tenant's; otherwise it is left to the CRM's customer lookup."""
    if not is_operator(ctx):
        return False
    name = ctx.update.text.strip().removeprefix(CUSTOMER_WORD).strip()
    tenant = await find_tenant(name) if name else None
    if tenant is None:
        return False
    ctx.deps[FOUND_KEY] = tenant
    return True


@router.command(
    "客户健康",
    audience=operators_only,
    help=NOT_LISTED,
    slots=(),
    examples=phrasings.HEALTH_EXAMPLES,
    phrasings=phrasings.HEALTH,
)
async def client_health(ctx: Context) -> str:
    """（服务商）客户健康：各企业按健康度分组，附最主要的三个信号"""
    _, clients = await _everyone(ctx)
    return views.by_tier(clients)


@router.command(
    "续费风险",
    audience=operators_only,
    help=NOT_LISTED,
    slots=(),
    examples=phrasings.RENEWAL_EXAMPLES,
    phrasings=phrasings.RENEWALS,
)
async def renewal_risk(ctx: Context) -> str:
    """（服务商）续费风险：未来30天到期的企业，按健康度分组"""
    _, clients = await _everyone(ctx)
    return views.renewals(clients)


@router.command(
    "企业概况",
    audience=operators_only,
    help=NOT_LISTED,
    slots=("tenant",),
    examples=phrasings.PROFILE_EXAMPLES,
    phrasings=phrasings.PROFILE,
)
async def tenant_profile(ctx: Context) -> str:
    """（服务商）企业概况 星辰科技：席位、活跃成员、模块使用、被拒请求和到期日"""
    billing = _operator_billing(ctx)
    name = ctx.args.strip()
    if not name:
        raise UserFacingError(ASK_TENANT)
    tenant = await find_tenant(name)
    if tenant is None:
        raise UserFacingError(NO_TENANT.format(name=name[:20]))
    return await _profile(ctx, billing, tenant)


@router.command(
    CUSTOMER_WORD,
    filters=[operator_asks_for_a_tenant],
    priority=10,
    help=NOT_LISTED,
)
async def tenant_as_customer(ctx: Context) -> str:
    billing = _operator_billing(ctx)
    tenant: Tenant = ctx.deps[FOUND_KEY]
    return await _profile(ctx, billing, tenant)


@router.command(
    "增长潜力",
    audience=operators_only,
    help=NOT_LISTED,
    slots=(),
    examples=phrasings.GROWTH_EXAMPLES,
    phrasings=phrasings.GROWTH,
)
async def growth_potential(ctx: Context) -> str:
    """（服务商）增长潜力：按每月可增收排序的企业，附原因（席位缺口、请求未开通的模块）"""
    billing = _operator_billing(ctx)
    clients = await every_client_facts(billing, ctx.clock.now())
    people = await headcounts([facts.tenant.id for facts in clients])
    ranked = [(f, growth(billing.catalog, f, people[f.tenant.id])) for f in clients]
    return views.growth_ranking(ranked)
