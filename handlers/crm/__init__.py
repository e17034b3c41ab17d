"""The customer book: customers, tags, groups, welcome texts, handovers and WeCom's sync."""

from bot.capability import Capability
from handlers.crm import (
    customers,
    edits,
    events,
    group_events,
    pick,
    removal,
    tags,
    transfers,
    welcome,
)
from scheduler.crm import customer_jobs

capability = Capability(
    name="crm",
    title="客户",
    module="crm",
    routers=(
        pick.router,
        customers.router,
        tags.router,
        edits.router,
        removal.router,
        transfers.router,
        welcome.router,
        events.router,
        group_events.router,
    ),
    jobs=customer_jobs,
    demo="bot.demo.customers:customer_scene",
)
