"""Support requests (客服请求): client enterprises' members ask the SCRM provider in chat, the
provider's operators answer in chat, with a first-response SLA escalated once; and the
provider's quarterly NPS question to client admins, through the survey capability."""

from bot.capability import Capability
from handlers.vendor_support import desk, requests, satisfaction
from scheduler.vendor_support import support_jobs

capability = Capability(
    name="vendor_support",
    title="联系服务商",
    routers=(requests.router, desk.router, satisfaction.router),
    jobs=support_jobs,
    config="vendor_support",
    # The last capability, so the demo ends on the provider's side (its health view,
    # announcements and this desk together).
    demo="bot.demo.provider:provider_scene",
)
