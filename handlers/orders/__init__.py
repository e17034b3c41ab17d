"""Sales orders (订单管理): orders and their payment plans, collections, refunds, shipping."""

from bot.capability import Capability
from handlers.orders import bills, cards, create, lists, money, settings, shipping, stats
from scheduler.orders import order_jobs

capability = Capability(
    name="orders",
    title="订单",
    module="orders",
    routers=(
        cards.router,
        create.router,
        money.router,
        shipping.router,
        lists.router,
        stats.router,
        settings.router,
        bills.router,
    ),
    jobs=order_jobs,
    demo="bot.demo.orders:order_scene",
)
