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
        ],
        "migrations": "models.migrations.core",
    },
}
