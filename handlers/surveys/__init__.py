"""Satisfaction surveys: sent after a resolved ticket or on request, answered on a page or in
the 微信客服 chat, reported weekly."""

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.capability import Basics, Capability, Services
from bot.installation.hooks import DEPS_KEY as INSTALL_HOOKS
from bot.outbox import Transport
from bot.surveys.installation import install_survey_hooks
from bot.surveys.invite import msg_template_transports
from bot.surveys.page import add_survey_routes
from bot.surveys.tickets import ticket_survey_hooks
from bot.tickets.hooks import DEPS_PREFIX as TICKET_HOOKS
from handlers.surveys import reports, send
from scheduler.surveys import survey_jobs


def _transports(services: Services) -> Mapping[str, Transport]:
    return msg_template_transports(services.client)


def _deps(services: Services) -> Mapping[str, Any]:
    return {
        TICKET_HOOKS + "surveys": ticket_survey_hooks(),  # resolved → survey, reopened → cancel
        INSTALL_HOOKS: install_survey_hooks(),  # completed → survey
    }


def _web(app: web.Application, basics: Basics) -> None:
    base_url = basics.settings.server.public_base_url
    add_survey_routes(app, tenants=basics.tenants, clock=basics.clock, base_url=base_url)


capability = Capability(
    name="surveys",
    title="满意度",
    module="crm",
    routers=(send.router, reports.router),
    jobs=survey_jobs,
    transports=_transports,
    deps=_deps,
    web=_web,
    config="surveys",
)
