"""The SCRM provider's side (服务商): every command recorded as a usage event, rolled up per
client enterprise and day, and read by the provider's operators in chat."""

from aiohttp import web

from bot.capability import Basics, Capability, Services
from bot.provider.console.page import add_console_routes
from bot.provider.usage import DEPS_KEY, record_usage
from bot.subscription.service import Billing
from handlers.provider import console, offers, operators
from scheduler.provider import provider_jobs


def _deps(services: Services) -> dict[str, object]:
    return {DEPS_KEY: record_usage}


def _web(app: web.Application, basics: Basics) -> None:
    def billing() -> Billing | None:
        services = basics.services()
        return services.billing if services is not None else None

    add_console_routes(app, settings=basics.settings, clock=basics.clock, billing=billing)


capability = Capability(
    name="provider",
    title="服务商",
    routers=(operators.router, offers.router, console.router),
    jobs=provider_jobs,
    deps=_deps,
    web=_web,
    config="provider",
)
