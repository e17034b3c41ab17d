"""微信客服 (kf): where reading each kf account's messages stands, and what each customer's
send budget is.

WeCom lets ``kf/send_msg`` reach a customer only within 48 hours of the customer's last
message, and at most 5 times per message the customer sends. It refuses the excess, so the
budget is kept here, updated in the same transaction as the messages and sends that change it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class KfCursor(Model):
    """The ``kf/sync_msg`` cursor of one kf account: the next read starts after it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="kf_cursors", on_delete=fields.CASCADE
    )
    open_kfid = fields.CharField(max_length=64)
    cursor = fields.CharField(max_length=255, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "kf_cursor"
        unique_together = (("tenant", "open_kfid"),)


class KfWindow(Model):
    """One customer's send budget on one kf account."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="kf_windows", on_delete=fields.CASCADE
    )
    open_kfid = fields.CharField(max_length=64)
    external_userid = fields.CharField(max_length=64)
    last_customer_message_at = fields.DatetimeField()
    sends_left = fields.SmallIntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "kf_window"
        unique_together = (("tenant", "open_kfid", "external_userid"),)


__models__ = [KfCursor, KfWindow]
