"""The tenant's plan, seats, purchases and renewals, and the notices that go with them."""

from bot.capability import Capability
from handlers.subscription import changes, plan, purchases
from scheduler.subscription import subscription_jobs

capability = Capability(
    name="subscription",
    title="套餐与席位",
    routers=(plan.router, purchases.router, changes.router, plan.locked_router),
    jobs=subscription_jobs,
    config="subscription",
    demo="bot.demo.subscription:subscription_scene",
)
