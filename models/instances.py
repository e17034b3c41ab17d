from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class BotInstance(Model):
    """A running ``scrm-bot serve`` process, by the name its leases carry.

    ``seen_at`` is refreshed every few seconds while it runs; a process that stopped
    refreshing it has died, and the inbox and outbox rows it had leased are taken over at
    once by the next process to start instead of waiting for their leases to run out.
    """

    name = fields.CharField(max_length=64, primary_key=True)
    started_at = fields.DatetimeField()
    seen_at = fields.DatetimeField()

    class Meta:
        table = "bot_instance"
