"""价目表: the catalog's editions, modules and bundles with their monthly list prices.

Prices come from the catalog as they are (per seat per month, or per month for the whole
enterprise); what the tenant already has is marked, so the list also answers "what do we
have and what would more cost".
"""

from __future__ import annotations

from bot.subscription import wording
from bot.subscription.catalog import Catalog, Price
from bot.subscription.money import format_cny
from bot.subscription.plan import Plan, granted_modules

HEAD = "【价目表】按月标价，按席位计价的乘以席位数："
EDITIONS = "版本："
MODULES = "模块（可单独开通）："
BUNDLES = "套餐包："
PERIODS = "付费周期优惠：{offers}"
ROW = "· {name} {price}{mark}：{description}"
CURRENT = "（当前）"
INCLUDED = "（已包含）"
FOOT = (
    "问价可以直接说，例如：升级到售后服务版多少钱、加5个席位多少钱、开通工单多少钱、续一年多少钱；"
    "一次性服务见「服务项目」。"
)


def price_text(price: Price) -> str:
    """¥99.00/席/月, or ¥199.00/月（全企业） for a flat price."""
    if price.per_seat:
        return f"{format_cny(price.monthly)}/席/月"
    return f"{format_cny(price.monthly)}/月（全企业）"


def render(catalog: Catalog, plan: Plan) -> str:
    granted = granted_modules(catalog, plan)
    rows = [HEAD, EDITIONS]
    for edition in catalog.editions:
        mark = CURRENT if edition.code == plan.edition else ""
        rows.append(_row(edition.name, edition.price, mark, edition.description))
    rows.append(MODULES)
    for module in catalog.modules:
        mark = INCLUDED if module.code in granted else ""
        rows.append(_row(module.name, module.price, mark, module.description))
    if catalog.bundles:
        rows.append(BUNDLES)
        for bundle in catalog.bundles:
            mark = INCLUDED if bundle.code in plan.bundles else ""
            rows.append(_row(bundle.name, bundle.price, mark, bundle.description))
    offers = [
        f"{period.name}{wording.discount_text(period.discount_percent)}"
        for period in catalog.periods
        if period.discount_percent
    ]
    if offers:
        rows.append(PERIODS.format(offers="，".join(offers)))
    rows.append(FOOT)
    return "\n".join(rows)


def _row(name: str, price: Price, mark: str, description: str) -> str:
    return ROW.format(name=name, price=price_text(price), mark=mark, description=description)
