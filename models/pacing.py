from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PacerSend(Model):
    """One send counted against a WeCom rate limit, kept for a minute.

    ``slot`` names the limit and what it counts: ``member:app:<tenant>:<userid>`` for the 30
    app messages a member may get in a minute, ``corp:<tenant>:<channel>`` for an API's calls
    per corp, ``member:webhook:<tenant>:<robot>`` for a webhook robot's 20. Every replica
    reads and appends these rows under a lock on the slot, so together they stay under the
    limit (on SQLite, with one process, the count stays in memory and this table is unused).
    """

    id = fields.BigIntField(primary_key=True)
    slot = fields.CharField(max_length=255)
    sent_at = fields.DatetimeField()

    class Meta:
        table = "pacer_send"
        indexes = (("slot", "sent_at"),)
