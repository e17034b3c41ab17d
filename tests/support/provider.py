"""The provider's fixtures: a client's usage as the operators' tests read it."""

from __future__ import annotations

from datetime import date, timedelta

from support.followups import MONDAY_10AM

from models.provider import Outcome, TenantDailyUsage, UsageEvent

MONDAY = date(2026, 11, 23)


async def acme_usage() -> None:
    """7 members active this month; 100 commands in the last 14 days against 80 before;
    4 of the 8 capabilities owned in use; a locked module asked for 3 times."""
    for n in range(7):
        await UsageEvent.create(
            tenant_id=1,
            userid=f"u{n}",
            capability="calls",
            module="callcenter",
            intent="calls.my_calls",
            outcome=Outcome.OK,
            at=MONDAY_10AM - timedelta(days=n * 3),
        )
    for n in range(3):
        await UsageEvent.create(
            tenant_id=1,
            userid="u1",
            capability="installation",
            module="installation",
            intent="installation.book_installation",
            outcome=Outcome.REFUSED_MODULE,
            at=MONDAY_10AM - timedelta(days=n),
        )
    for back, commands, used in ((1, 100, {"calls": 1, "crm": 1}), (15, 80, {"tickets": 1})):
        await TenantDailyUsage.create(
            tenant_id=1,
            day=MONDAY - timedelta(days=back),
            commands=commands,
            active_members=5,
            capabilities_used=len(used),
            capabilities_owned=8,
            by_capability=used,
            built_at=MONDAY_10AM,
        )
    await TenantDailyUsage.create(
        tenant_id=1,
        day=MONDAY - timedelta(days=2),
        capabilities_owned=8,
        by_capability={"core": 3},
        commands=0,
        built_at=MONDAY_10AM,
    )
