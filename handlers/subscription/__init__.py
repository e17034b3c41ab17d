"""The tenant's plan, seats, purchases and renewals, and the notices that go with them."""

from bot.capability import Capability
from handlers.subscription import changes, plan, prices, purchases
from scheduler.subscription import subscription_jobs

capability = Capability(
    name="subscription",
    title="套餐与席位",
    # Price questions first: their phrasings (续一年多少钱) must win over the purchases' (续一年).
    routers=(prices.router, plan.router, purchases.router, changes.router, plan.locked_router),
    jobs=subscription_jobs,
    config="subscription",
    demo="bot.demo.subscription:subscription_scene",
)
