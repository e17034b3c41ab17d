"""The SLA sweep: a request still unanswered past its first-response time is escalated to
all operators, exactly once.

Each overdue request is claimed by a conditional UPDATE (``escalated_at`` still empty) in the
same transaction as its outbox rows; the replica whose UPDATE changed the row writes them, a
second replica (or a rerun) changes nothing and sends nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.subscription.settings import Operator
from bot.vendor_support import wording
from bot.vendor_support.desk import find_desk, tell_operators
from bot.vendor_support.numbers import format_number
from models.tenants import Tenant
from models.vendor_support import RequestStatus, SupportRequest

logger = logging.getLogger(__name__)
BATCH = 100


class EscalationSweep:
    def __init__(self, operators: tuple[Operator, ...], clock: Clock) -> None:
        self.operators = operators
        self.clock = clock

    async def run(self) -> int:
        """How many requests this run escalated."""
        now = self.clock.now()
        desk = await find_desk(self.operators)
        if desk is None:
            return 0
        due = (
            await SupportRequest.filter(
                status=RequestStatus.OPEN, escalated_at=None, response_due_at__lte=now
            )
            .order_by("id")
            .limit(BATCH)
        )
        escalated = 0
        for request in due:
            async with in_transaction():
                claimed = await SupportRequest.filter(
                    id=request.id, status=RequestStatus.OPEN, escalated_at=None
                ).update(escalated_at=now)
                if not claimed:
                    continue
                text = await _escalation(request, now)
                await tell_operators(desk, f"{request.id}:escalated", text, now)
            escalated += 1
        if escalated:
            logger.info("escalated %s support requests past their first-response time", escalated)
        return escalated


async def _escalation(request: SupportRequest, now: datetime) -> str:
    tenant = await Tenant.get(id=request.tenant_id)
    return wording.ESCALATION.format(
        number=format_number(request.id),
        tenant=tenant.name,
        who=request.requester_name,
        late=wording.late_words((now - request.response_due_at).total_seconds()),
        text=wording.preview(request.text),
    )
