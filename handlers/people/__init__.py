"""People: the address book of the app's visible range (synced at start-up, nightly, on
demand and by change_contact callbacks), and the numbered choice between same-name
colleagues that every command naming a person shares."""

from typing import Any

from bot.capability import Capability, Services
from handlers.people import directory, events, pick
from scheduler.people import people_jobs


def _deps(services: Services) -> dict[str, Any]:
    return {pick.DISPATCHER: services.dispatcher}


capability = Capability(
    name="people",
    title="管理",
    routers=(directory.router, events.router, pick.router),
    jobs=people_jobs,
    deps=_deps,
    demo="bot.demo.people:people_scene",
)
