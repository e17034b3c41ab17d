"""Subscriptions: the catalog (what can be bought), pricing (what it costs), and the plan rules.

Everything here is pure: no database, no clock, no I/O except reading the catalog file once at
startup. Models, chat commands, the entitlement middleware and notices build on this API.
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
