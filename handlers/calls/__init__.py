"""Call center (呼叫中心): every call logged and matched to its customer, from chat and from a
telephony platform's signed webhook."""

from bot.calls.webhook import add_call_routes
from bot.capability import Capability
from handlers.calls import callbacks, log, stats

capability = Capability(
    name="calls",
    title="通话",
    module="callcenter",
    routers=(log.router, stats.router, callbacks.router),
    web=add_call_routes,
)
