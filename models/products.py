"""Products a tenant sells: what an order line names, priced in integer fen.

Shared by orders (issue 16) and the ERP-lite stock (a later issue): one row per product and
tenant, found by name. Prices are integer fen so that no float ever touches money.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class Product(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="products", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=64)
    unit = fields.CharField(max_length=8, default="")  # 箱, 台, 个 …: how quantities are said
    sale_price_fen = fields.BigIntField()
    purchase_price_fen = fields.BigIntField(null=True)  # unknown until someone buys it in
    barcode = fields.CharField(max_length=32, null=True)
    # 预警: at or below this much in all warehouses together it is 低库存 (None: never).
    min_qty = fields.IntField(null=True)
    # 移动平均成本 (ERP-lite): set by each purchase receipt and return; meaningful only while
    # the product is in stock (a receipt into no stock starts it again at its own price).
    avg_cost_fen = fields.BigIntField(null=True)
    # 允许负库存 (an admin's 商品设置): its stock-outs may take a balance below zero, for goods
    # sold before they are booked in. Off, the guarded stock-out refuses what is not there.
    allow_negative = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "product"
        unique_together = (("tenant", "name"),)


__models__ = [Product]
