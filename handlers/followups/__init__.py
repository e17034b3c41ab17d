"""Follow-ups and their reminders, in plain Chinese."""

from bot.capability import Capability
from handlers.followups import cards, create, lists
from scheduler.followups import followup_jobs

capability = Capability(
    name="followups",
    title="跟进",
    module="crm",
    routers=(create.router, lists.router, cards.router),
    jobs=followup_jobs,
    config="followups",
)
