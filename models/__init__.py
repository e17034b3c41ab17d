"""Tortoise models, one module per aggregate. Every row belongs to a tenant.

Models are grouped into tortoise apps, one per bounded context, each with its own migration
history under ``models/migrations/<context>/``: capabilities evolve their tables without
queuing behind each other's migrations. Relations across apps are fine (``"models.Tenant"``).
"""

from typing import Any

MODEL_APPS: dict[str, dict[str, Any]] = {
    # The foundation: tenants, employees, inbox, outbox, conversation state.
    "models": {
        "models": [
            "models.tenants",
            "models.inbox",
            "models.outbox",
            "models.conversations",
            "models.instances",
            "models.pacing",
        ],
        "migrations": "models.migrations.core",
    },
    # Customers (module crm): the customer book, tags, groups, handovers and the WeCom sync.
    "crm": {
        "models": [
            "models.crm.customers",
            "models.crm.tags",
            "models.crm.groups",
            "models.crm.ops",
        ],
        "migrations": "models.migrations.crm",
    },
    # Subscriptions (issue 3): plans, seats, orders, notices and the billing audit log.
    "billing": {
        "models": ["models.subscriptions"],
        "migrations": "models.migrations.billing",
    },
    # Follow-ups (issue 5): follow-ups and their reminder claims.
    "followups": {
        "models": ["models.followups"],
        "migrations": "models.migrations.followups",
    },
    # Satisfaction surveys (issue 6): one survey per trigger, answered once.
    "surveys": {
        "models": ["models.surveys"],
        "migrations": "models.migrations.surveys",
    },
    # 微信客服 (issue 6): sync_msg cursors and each customer's send budget.
    "kf": {
        "models": ["models.kf"],
        "migrations": "models.migrations.kf",
    },
    # Knowledge base (issue 7): articles, synonyms and the questions nobody answered.
    "knowledge": {
        "models": ["models.knowledge"],
        "migrations": "models.migrations.knowledge",
    },
    # Work orders (issue 7): tickets, their comments and history, with SLA timers.
    "tickets": {
        "models": ["models.tickets"],
        "migrations": "models.migrations.tickets",
    },
    # Running a tenant (issue 8): the audit log of admin commands and settings set in chat.
    "admin": {
        "models": ["models.admin"],
        "migrations": "models.migrations.admin",
    },
    # The group bot (issue 8): its callback keys and where admin notices go.
    "aibot": {
        "models": ["models.aibot"],
        "migrations": "models.migrations.aibot",
    },
    # People (issue 14): the address book's departments and members, and its sync lease.
    "people": {
        "models": ["models.people"],
        "migrations": "models.migrations.people",
    },
    # Products (issue 16): what orders sell, shared with the ERP-lite stock.
    "products": {
        "models": ["models.products"],
        "migrations": "models.migrations.products",
    },
    # Orders (issue 16): sales orders, payment plans, collections, refunds and shipments.
    "orders": {
        "models": ["models.orders"],
        "migrations": "models.migrations.orders",
    },
    # Installation service (issue 19): jobs, their reminders, photos and settings.
    "installation": {
        "models": ["models.installation"],
        "migrations": "models.migrations.installation",
    },
    # Call center (issue 18): the call log, from WeCom 公费电话, webhooks and chat.
    "calls": {
        "models": ["models.calls"],
        "migrations": "models.migrations.calls",
    },
    # ERP-lite (issue 17): warehouses, stock balances and their ledger, suppliers, purchasing.
    "erp": {
        "models": ["models.erp"],
        "migrations": "models.migrations.erp",
    },
    # The provider's side (issue 20): usage events and their daily roll-ups per tenant, and
    # the operator console's one-time links and sessions.
    "provider": {
        "models": ["models.provider", "models.console"],
        "migrations": "models.migrations.provider",
    },
    # Upgrade announcements (issue 20): the provider's announcements, their deliveries and reads.
    "announcements": {
        "models": ["models.announcements"],
        "migrations": "models.migrations.announcements",
    },
    # Support requests (issue 20): client enterprises' questions to the SCRM provider.
    "vendor_support": {
        "models": ["models.vendor_support"],
        "migrations": "models.migrations.vendor_support",
    },
}
