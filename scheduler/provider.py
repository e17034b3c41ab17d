"""The provider's scheduled work: each tenant's yesterday rolled up soon after its midnight,
usage events past their retention deleted, and offers past their last day expired."""

from __future__ import annotations

from bot.capability import Services
from bot.provider.offers import expire_due
from bot.provider.rollup import owned_counter, purge_events, roll_up_missing
from scheduler.jobs import SweepJob

# Hourly: a tenant's day is rolled up within an hour of its own midnight, whatever its zone.
ROLLUP_SECONDS = 3600
PURGE_SECONDS = 6 * 3600
# Offers end at midnight of the client's own calendar: within 15 minutes of it, the offer is
# closed and the operator who made it hears so.
OFFER_EXPIRY_SECONDS = 900


def provider_jobs(services: Services) -> list[SweepJob]:
    clock, retention = services.clock, services.settings.provider.usage_retention_days

    async def roll_up() -> int:
        # Read late: the dispatcher is made after the jobs' factories run.
        dispatcher = services.dispatcher()
        if dispatcher is None:
            return 0
        return await roll_up_missing(
            owned_counter(services.billing, dispatcher.routers), clock.now()
        )

    async def purge() -> int:
        return await purge_events(clock.now(), retention)

    async def expire_offers() -> int:
        return await expire_due(clock.now())

    return [
        SweepJob("provider-usage-rollup", ROLLUP_SECONDS, roll_up),
        SweepJob("provider-usage-purge", PURGE_SECONDS, purge),
        SweepJob("provider-offer-expiry", OFFER_EXPIRY_SECONDS, expire_offers),
    ]
