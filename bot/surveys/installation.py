"""Installations and surveys: an installation the customer confirmed (on the confirmation
page or as told in chat) asks them how it went, one survey per job. ``install_survey_hooks()``
goes into the dispatcher's deps as ``deps["install_hooks"]`` (``bot.installation.hooks``)."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.installation.hooks import InstallHooks
from bot.surveys.lifecycle import survey_for_trigger
from bot.tenants import TenantInfo
from models.installation import InstallJob
from models.surveys import SurveyTrigger


async def survey_confirmed_install(
    tenant: TenantInfo, job: InstallJob, now: datetime, settings: Settings
) -> None:
    await survey_for_trigger(
        tenant,
        trigger=SurveyTrigger.INSTALL_COMPLETED,
        trigger_ref=job.number,
        customer_id=job.customer_id,
        employee_id=job.installer_id,
        now=now,
        settings=settings,
    )


def install_survey_hooks() -> InstallHooks:
    return InstallHooks(on_confirmed=survey_confirmed_install)
