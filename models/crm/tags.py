"""Customer tags (WeCom's corp tag library, plus tags kept only here) and welcome texts."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Tenant


class CorpTag(Model):
    """A tag from WeCom's corp tag library (``tag_id`` set) or one kept only by the bot."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="corp_tags", on_delete=fields.CASCADE
    )
    tag_id = fields.CharField(max_length=64, null=True)
    group_id = fields.CharField(max_length=64, default="")
    group_name = fields.CharField(max_length=64, default="")
    name = fields.CharField(max_length=64)
    order = fields.BigIntField(default=0)
    deleted = fields.BooleanField(default=False)

    class Meta:
        table = "crm_corp_tag"
        unique_together = (("tenant", "tag_id"),)
        indexes = (("tenant_id", "name"),)


class CustomerTag(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_tags", on_delete=fields.CASCADE
    )
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="tags", on_delete=fields.CASCADE
    )
    tag_id: int
    tag: fields.ForeignKeyRelation[CorpTag] = fields.ForeignKeyField(
        "crm.CorpTag", related_name="customers", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "crm_customer_tag"
        unique_together = (("customer", "tag"),)
        indexes = (("tenant_id", "tag_id"),)


class WelcomeTemplate(Model):
    """The welcome text for customers who arrive through one contact way (``state``), the
    empty state is the tenant's default."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="welcome_templates", on_delete=fields.CASCADE
    )
    state = fields.CharField(max_length=64, default="")
    text = fields.TextField()
    updated_by = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "crm_welcome_template"
        unique_together = (("tenant", "state"),)


# Only these belong to the crm app; the imported Tenant and Employee stay in ``models``.
__models__ = [CorpTag, CustomerTag, WelcomeTemplate]
