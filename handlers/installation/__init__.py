"""Installation service (安装服务): booking, dispatch without double bookings, check-in on
site, photos kept past WeCom's three days, materials used (out of stock with the ERP-lite),
completion, the customer's confirmation and a follow-up visit when they say 还有问题."""

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.capability import Basics, Capability, Services
from bot.installation.calendar import calendar_transports
from bot.installation.media import MediaKeeper
from bot.installation.page import add_confirm_routes
from bot.installation.photo_store import photo_store
from bot.outbox import Transport
from handlers.installation import (
    book,
    cards,
    kf_replies,
    lists,
    materials,
    onsite,
    settings,
    stats,
    work,
)
from scheduler.installation import installation_jobs


def _transports(services: Services) -> Mapping[str, Transport]:
    return calendar_transports(services.client)


def _deps(services: Services) -> Mapping[str, Any]:
    return {
        "install_media": MediaKeeper(
            services.client, photo_store(services.settings, services.clock)
        )
    }


def _web(app: web.Application, basics: Basics) -> None:
    add_confirm_routes(app, basics)  # the customer's confirmation page, /i/{token}


capability = Capability(
    name="installation",
    title="安装",
    module="installation",
    routers=(
        kf_replies.router,
        cards.router,
        book.router,
        work.router,
        materials.router,
        onsite.router,
        lists.router,
        settings.router,
        stats.router,
    ),
    jobs=installation_jobs,
    deps=_deps,
    transports=_transports,
    web=_web,
    demo="bot.demo.installation:installation_scene",
)
