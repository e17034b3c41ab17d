"""The tenant's plan, seats, purchases and renewals, and the notices that go with them."""

from collections.abc import Mapping
from typing import Any

from bot.capability import Capability, Services
from bot.subscription.phrases import slot_names
from handlers.subscription import changes, plan, prices, purchases
from scheduler.subscription import subscription_jobs


def _deps(services: Services) -> Mapping[str, Any]:
    # Named slots (升级 售后版, 开通 工单) take the catalog's names when a sentence is guessed.
    return {"slot_names.subscription": lambda: slot_names(services.billing.catalog)}


capability = Capability(
    name="subscription",
    title="套餐与席位",
    # Price questions first: their phrasings (续一年多少钱) must win over the purchases' (续一年).
    routers=(prices.router, plan.router, purchases.router, changes.router, plan.locked_router),
    jobs=subscription_jobs,
    deps=_deps,
    config="subscription",
    demo="bot.demo.subscription:subscription_scene",
)
