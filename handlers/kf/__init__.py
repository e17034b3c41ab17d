"""微信客服: customers' messages read through sync_msg, answered from the knowledge base, a
survey in the chat, and a person on request."""

from collections.abc import Mapping
from typing import Any

from bot.capability import Capability, Services
from bot.kf.sync import KfSync
from bot.kf.transport import kf_transports
from bot.outbox import Transport
from bot.wecom.kf import KfAPI
from handlers.kf import customers


def _transports(services: Services) -> Mapping[str, Transport]:
    return kf_transports(services.client, services.clock)


def _deps(services: Services) -> Mapping[str, Any]:
    return {"kf_sync": KfSync(KfAPI(services.client), services.inbox, services.clock)}


capability = Capability(
    name="kf",
    title="微信客服",
    routers=(customers.router,),
    transports=_transports,
    deps=_deps,
    demo="bot.demo.kf:kf_scene",
)
