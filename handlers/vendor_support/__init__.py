"""Support requests (客服请求): client enterprises' members ask the SCRM provider in chat, the
provider's operators answer in chat, with a first-response SLA escalated once; and the
provider's quarterly NPS question to client admins, through the survey capability."""

from collections.abc import Mapping
from typing import Any

from bot.capability import Capability, Services
from bot.tickets.hooks import DEPS_PREFIX as TICKET_HOOKS
from bot.vendor_support.ticket_hooks import desk_ticket_hooks
from handlers.vendor_support import desk, requests, satisfaction
from scheduler.vendor_support import support_jobs


def _deps(services: Services) -> Mapping[str, Any]:
    return {TICKET_HOOKS + "vendor_support": desk_ticket_hooks()}  # a reply on its work order


capability = Capability(
    name="vendor_support",
    title="联系服务商",
    routers=(requests.router, desk.router, satisfaction.router),
    jobs=support_jobs,
    deps=_deps,
    config="vendor_support",
    # The last capability, so the demo ends on the provider's side (its health view,
    # announcements and this desk together).
    demo="bot.demo.provider:provider_scene",
)
