"""After-sales work orders (售后工单): opening, dispatching, working and SLA timers."""

from bot.capability import Capability
from handlers.tickets import attachments, browse, cards, create, reports, work
from scheduler.tickets import ticket_jobs

capability = Capability(
    name="tickets",
    title="工单",
    module="tickets",
    routers=(
        cards.router,
        create.router,
        work.router,
        attachments.router,
        reports.router,
        browse.router,
    ),
    jobs=ticket_jobs,
    config="tickets",
    demo="bot.demo.tickets:ticket_scene",
)
