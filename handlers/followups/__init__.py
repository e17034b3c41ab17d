"""Follow-ups and their reminders, in plain Chinese."""

from bot.capability import Capability
from handlers.followups import cards, corrections, create, lists, recurring, working
from scheduler.followups import followup_jobs

capability = Capability(
    name="followups",
    title="跟进",
    module="crm",
    routers=(
        create.router,
        lists.router,
        working.router,
        recurring.router,
        corrections.router,
        cards.router,
    ),
    jobs=followup_jobs,
    config="followups",
)
