"""The provider's quarterly NPS question to each client enterprise's admins, asked through
the survey capability (one ``Survey`` per admin and quarter, answered on its page).

The sweep runs daily; the survey's unique (tenant, trigger, trigger_ref) with the quarter in
``trigger_ref`` is the claim: a second run, or a second replica at the same moment, finds the
row there (or loses the insert) and sends nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.crm.book import admin_userids
from bot.subscription import notify
from bot.subscription.settings import Operator
from bot.surveys.invite import survey_url
from bot.surveys.lifecycle import create_survey
from bot.surveys.settings import SurveyTemplate
from bot.tenants import TenantDirectory, TenantInfo
from bot.vendor_support.desk import Desk, find_desk
from models.subscriptions import Subscription, SubscriptionStatus
from models.surveys import SurveyChannel, SurveyKind, SurveyTrigger
from models.tenants import Employee, Tenant
from models.vendor_support import ProviderSurvey

logger = logging.getLogger(__name__)

QUESTION = "您有多大可能把我们的 SCRM 系统推荐给朋友或同行？（0–10 分）"
INVITE = "【服务商满意度调查】{question}\n点此打分（一分钟）：{url}"
TEMPLATE = SurveyTemplate(
    kind=SurveyKind.NPS, question=QUESTION, reminder_after_hours=0, expire_after_days=14
)


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


class NpsSweep:
    def __init__(self, operators: tuple[Operator, ...], clock: Clock, base_url: str) -> None:
        self.operators = operators
        self.clock = clock
        self.base_url = base_url

    async def run(self) -> int:
        """How many admins this run asked."""
        desk = await find_desk(self.operators)
        if desk is None:
            return 0
        now = self.clock.now()
        quarter = quarter_of(now.astimezone(ZoneInfo(desk.tenant.timezone)).date())
        directory = TenantDirectory()
        # A cancelled client is no client any more: its admins are not asked how likely they
        # are to recommend the product.
        cancelled = await Subscription.filter(status=SubscriptionStatus.CANCELLED)
        gone = {subscription.tenant_id for subscription in cancelled}
        asked = 0
        for row in await Tenant.exclude(id=desk.tenant.id).order_by("id"):
            tenant = await directory.get(row.key) if row.id not in gone else None
            if tenant is None:
                continue
            for userid in await admin_userids(tenant):
                asked += await self._ask(desk, tenant, userid, quarter, now)
        if asked:
            logger.info("asked %s client admins the %s NPS question", asked, quarter)
        return asked

    async def _ask(
        self, desk: Desk, tenant: TenantInfo, userid: str, quarter: str, now: datetime
    ) -> int:
        admin = await Employee.get_or_none(tenant_id=tenant.id, userid=userid)
        try:
            async with in_transaction():
                survey = await create_survey(
                    tenant.id,
                    TEMPLATE,
                    trigger=SurveyTrigger.PROVIDER_NPS,
                    trigger_ref=f"{quarter}:{userid}",
                    customer_id=None,
                    employee_id=admin.id if admin else None,
                    channel=SurveyChannel.PAGE,
                    recipient=userid,
                    now=now,
                )
                if survey is None:
                    return 0
                await ProviderSurvey.create(
                    survey_id=survey.id,
                    tenant_id=tenant.id,
                    quarter=quarter,
                    desk_tenant_id=desk.tenant.id,
                    operators=list(desk.operators),
                    created_at=now,
                )
                text = INVITE.format(question=QUESTION, url=survey_url(self.base_url, survey.token))
                await notify.write(
                    tenant.id,
                    f"nps:{survey.id}:invite",
                    [userid],
                    text,
                    now=now,
                    lease=notify.FOR_ANY_SENDER,
                )
        except IntegrityError:
            return 0  # another replica asked this admin this quarter a moment ago
        return 1
