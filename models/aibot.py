"""The group bot (智能机器人) of a tenant, and where its admin notices go."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class TenantAibot(Model):
    """One row per tenant that configured ``[tenants.aibot]``, kept in step with the config.

    ``token``/``encoding_aes_key`` open ``/wecom/{key}/aibot`` (empty: no group bot callbacks),
    ``admin_chat_id`` is an app group chat and ``webhook_key`` a group webhook robot, both
    read by the admin notices.
    """

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="aibot", on_delete=fields.CASCADE
    )
    token = fields.CharField(max_length=64, default="")
    encoding_aes_key = fields.CharField(max_length=43, default="")
    bot_id = fields.CharField(max_length=64, default="")
    name = fields.CharField(max_length=64, default="")
    admin_chat_id = fields.CharField(max_length=64, default="")
    webhook_key = fields.CharField(max_length=128, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tenant_aibot"


__models__ = [TenantAibot]
