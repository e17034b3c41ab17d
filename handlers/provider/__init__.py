"""The SCRM provider's side (服务商): every command recorded as a usage event, rolled up per
client enterprise and day, and read by the provider's operators in chat."""

from bot.capability import Capability, Services
from bot.provider.usage import DEPS_KEY, record_usage
from handlers.provider import offers, operators
from scheduler.provider import provider_jobs


def _deps(services: Services) -> dict[str, object]:
    return {DEPS_KEY: record_usage}


capability = Capability(
    name="provider",
    title="服务商",
    routers=(operators.router, offers.router),
    jobs=provider_jobs,
    deps=_deps,
    config="provider",
)
