"""Helpers for the survey page and report tests: surveys made directly in the database."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from itertools import count

from models.crm.customers import Customer
from models.surveys import Survey, SurveyChannel, SurveyKind, SurveyStatus, SurveyTrigger
from models.tenants import Employee, Role

_refs = count(1)


async def employee(userid: str, name: str, at: datetime, *, admin: bool = False) -> Employee:
    role = Role.ADMIN if admin else Role.MEMBER
    found, _ = await Employee.update_or_create(
        defaults={"name": name, "role": role, "first_seen_at": at, "last_seen_at": at},
        tenant_id=1,
        userid=userid,
    )
    return found


async def customer(name: str, at: datetime, external_userid: str | None = None) -> Customer:
    return await Customer.create(
        tenant_id=1, name=name, external_userid=external_userid, created_at=at, updated_at=at
    )


async def survey(
    sent_at: datetime,
    *,
    score: int | None = None,
    comment: str = "",
    kind: SurveyKind = SurveyKind.CSAT,
    status: SurveyStatus | None = None,
    who: Employee | None = None,
    about: Customer | None = None,
    answered_after: timedelta = timedelta(hours=2),
    expires_after: timedelta = timedelta(days=7),
    channel: SurveyChannel = SurveyChannel.PAGE,
    tenant_id: int = 1,
) -> Survey:
    """A survey sent at ``sent_at``; answered ``answered_after`` later when given a score."""
    answered = score is not None
    return await Survey.create(
        tenant_id=tenant_id,
        customer_id=about.id if about else None,
        employee_id=who.id if who else None,
        kind=kind,
        question="",
        trigger=SurveyTrigger.MANUAL,
        trigger_ref=f"test-{next(_refs)}",
        channel=channel,
        recipient=who.userid if who else "",
        token=secrets.token_urlsafe(24),
        status=status or (SurveyStatus.ANSWERED if answered else SurveyStatus.SENT),
        score=score,
        comment=comment,
        sent_at=sent_at,
        answered_at=sent_at + answered_after if answered else None,
        expires_at=sent_at + expires_after,
    )
