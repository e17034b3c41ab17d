"""Installations and surveys: a completed installation asks its customer how it went (one
survey per job). ``install_survey_hooks()`` goes into the dispatcher's deps as
``deps["install_hooks"]`` (``bot.installation.hooks``)."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.installation.hooks import InstallHooks
from bot.surveys.lifecycle import survey_for_trigger
from models.installation import InstallJob
from models.surveys import SurveyTrigger


async def survey_completed_install(ctx: Context, job: InstallJob) -> None:
    settings: Settings = ctx.deps["settings"]
    await survey_for_trigger(
        ctx.tenant,
        trigger=SurveyTrigger.INSTALL_COMPLETED,
        trigger_ref=job.number,
        customer_id=job.customer_id,
        employee_id=job.installer_id,
        now=ctx.clock.now(),
        settings=settings,
    )


def install_survey_hooks() -> InstallHooks:
    return InstallHooks(on_completed=survey_completed_install)
