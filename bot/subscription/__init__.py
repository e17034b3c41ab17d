"""Subscriptions: the catalog (what can be bought), pricing (what it costs), and the plan rules.

The names exported here are pure: no database, no clock, no I/O except reading the catalog file
once at startup; so are ``lifecycle`` (trial → active → grace → suspended → cancelled by date),
``purchases`` (quotes for a tenant's term) and ``revenue``. The services build on them:
``service.Billing`` (catalog, clock, snapshot cache), ``guard`` (the entitlement check),
``seats``, ``orders``, ``notices`` and ``upkeep`` (the sweeps), ``operations`` (the CLI's).
"""

from bot.subscription.catalog import (
    BillingPeriod,
    Bundle,
    Catalog,
    CatalogError,
    Edition,
    Module,
    Price,
    PriceBasis,
    ServiceItem,
    UnknownItemError,
    load_catalog,
)
from bot.subscription.offers import Offer, cheapest_offer
from bot.subscription.periods import period_end
from bot.subscription.plan import ChangeSplit, Plan, PlanChange, granted_modules, split_change
from bot.subscription.pricing import (
    prorated_charge,
    quote_change,
    quote_renewal,
    quote_services,
    recurring_price,
    recurring_total,
)
from bot.subscription.quote import LineItem, Quote

__all__ = [
    "BillingPeriod",
    "Bundle",
    "Catalog",
    "CatalogError",
    "ChangeSplit",
    "Edition",
    "LineItem",
    "Module",
    "Offer",
    "Plan",
    "PlanChange",
    "Price",
    "PriceBasis",
    "Quote",
    "ServiceItem",
    "UnknownItemError",
    "cheapest_offer",
    "granted_modules",
    "load_catalog",
    "period_end",
    "prorated_charge",
    "quote_change",
    "quote_renewal",
    "quote_services",
    "recurring_price",
    "recurring_total",
    "split_change",
]
