"""ERP-lite (进销存): products and warehouses, stock moves and inquiries, suppliers and
purchasing with partial receipts; orders' shipments and installations' materials go out of
stock (``bot.erp.sales``, ``bot.erp.installs``); the morning stock note, the monthly 进销存汇总
and the nightly check (``scheduler.erp``)."""

from collections.abc import Mapping
from typing import Any

from bot.capability import Capability, Services
from bot.erp.installs import materials_poster
from bot.erp.sales import stock_hooks
from bot.installation.materials import DEPS_KEY as INSTALL_MATERIALS
from bot.orders.hooks import DEPS_KEY as ORDER_HOOKS
from bot.subscription.guard import EntitlementGuard
from handlers.erp import cards, counts, inquiry, products, purchases, stock, suppliers
from scheduler.erp import erp_jobs


def _deps(services: Services) -> Mapping[str, Any]:
    # The hooks ask the tenant's plan, as every command's entitlement check does.
    open_modules = EntitlementGuard(services.billing).open_modules
    return {
        ORDER_HOOKS: stock_hooks(open_modules),
        INSTALL_MATERIALS: materials_poster(open_modules),
    }


capability = Capability(
    name="erp",
    title="进销存",
    module="erp",
    routers=(
        cards.router,
        products.router,
        stock.router,
        inquiry.router,
        inquiry.questions,
        suppliers.router,
        purchases.router,
        counts.router,
    ),
    jobs=erp_jobs,
    deps=_deps,
    demo="bot.demo.erp:erp_scene",
)
