"""Support requests (客服请求): client enterprises' members ask the SCRM provider in chat, the
provider's operators answer in chat, with a first-response SLA escalated once."""

from bot.capability import Capability
from handlers.vendor_support import desk, requests
from scheduler.vendor_support import support_jobs

capability = Capability(
    name="vendor_support",
    title="联系服务商",
    routers=(requests.router, desk.router),
    jobs=support_jobs,
    config="vendor_support",
)
