"""Call center (呼叫中心): every call logged and matched to its customer, from chat and from a
telephony platform's signed webhook and WeCom 公费电话."""

from bot.calls.webhook import add_call_routes
from bot.capability import Capability
from handlers.calls import callbacks, log, stats, sync
from scheduler.calls import call_jobs

capability = Capability(
    name="calls",
    title="通话",
    module="callcenter",
    routers=(log.router, stats.router, callbacks.router, sync.router),
    jobs=call_jobs,
    web=add_call_routes,
    demo="bot.demo.calls:call_scene",
)
