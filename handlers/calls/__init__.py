"""Call center (呼叫中心): every call logged and matched to its customer."""

from bot.capability import Capability
from handlers.calls import log

capability = Capability(
    name="calls",
    title="通话",
    module="callcenter",
    routers=(log.router,),
)
