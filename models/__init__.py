"""Tortoise models, one module per aggregate. Every row belongs to a tenant."""

MODEL_MODULES = [
    "models.tenants",
    "models.inbox",
    "models.outbox",
    "models.conversations",
]
