"""ERP-lite (进销存): warehouses, stock balances and their ledger, suppliers and purchase orders.

Stock is two tables that must always agree. ``StockBalance`` holds what is in one warehouse
of one product now; ``StockMove`` is the append-only ledger of every change to it, each row
with the balance it left behind. Every change goes through ``bot.erp.stock``: one guarded
conditional UPDATE of the balance (a decrement only where enough is available) and, in the
same transaction, the ledger row written from what that UPDATE returned. So on_hand never
goes below zero (except for a product an admin allowed negative stock), Σ qty_delta of a
balance's moves equals its on_hand, and the last move's balance_after equals it too
(``scrm-bot erp check`` proves both).

A purchase order reads ``CG-20261123-0001`` like sales orders: the tenant-local day and a
sequence per day, so people say the tail. Quantities are integers in the product's unit and
money is integer fen.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.orders import Order, OrderLine
from models.products import Product
from models.tenants import Employee, Tenant


class Warehouse(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="warehouses", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=32)
    # The one a move goes to when it names none (总仓, made on a tenant's first move).
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "erp_warehouse"
        unique_together = (("tenant", "name"),)


class StockBalance(Model):
    """What one warehouse holds of one product. Only ``bot.erp.stock`` writes it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="stock_balances", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="stock_balances", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="balances", on_delete=fields.RESTRICT
    )
    on_hand = fields.BigIntField(default=0)
    # Held for confirmed orders, not yet out: not available to anyone else. Σ qty of the
    # balance's StockReservation rows.
    reserved = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "erp_stock_balance"
        unique_together = (("product", "warehouse"),)
        indexes = (("tenant_id", "warehouse_id"),)


class StockReservation(Model):
    """Stock held for one confirmed order line (库存占用), in one warehouse.

    ``qty`` is what it holds now; each unit it ever held leaves exactly one way: ``shipped``
    (a shipment of the line took it out with the goods) or ``released`` (the order was
    cancelled, or the line went out of another warehouse). Σ ``qty`` of a balance's
    reservations equals its ``reserved`` (``scrm-bot erp check`` proves it). One row per line,
    so a retried confirmation finds it and holds nothing more. Only
    ``bot.erp.reservations`` writes it, each change a compare-and-set on ``qty`` in the same
    transaction as the balance's ``reserved``."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="stock_reservations", on_delete=fields.CASCADE
    )
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="stock_reservations", on_delete=fields.CASCADE
    )
    order_line_id: int
    order_line: fields.OneToOneRelation[OrderLine] = fields.OneToOneField(
        "orders.OrderLine", related_name="stock_reservation", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="stock_reservations", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="reservations", on_delete=fields.RESTRICT
    )
    wanted = fields.BigIntField()  # the line's quantity when the order was confirmed
    qty = fields.BigIntField()  # held now
    shipped = fields.BigIntField(default=0)
    released = fields.BigIntField(default=0)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "erp_stock_reservation"
        indexes = (("tenant_id", "product_id", "warehouse_id"), ("order_id",))


class MoveKind(StrEnum):
    STOCK_IN = "stock_in"  # 入库 (other receipts)
    STOCK_OUT = "stock_out"  # 出库
    ISSUE = "issue"  # 领用: out to a colleague for use
    TRANSFER_OUT = "transfer_out"  # 调拨: leaving one warehouse …
    TRANSFER_IN = "transfer_in"  # … and arriving at another, in the same transaction
    PURCHASE_IN = "purchase_in"  # 采购到货
    COUNT = "count"  # 盘点: the difference a count found
    SALE_OUT = "sale_out"  # 销售出库: an order's shipment
    PURCHASE_RETURN = "purchase_return"  # 采购退货: received goods going back to the supplier


class StockMove(Model):
    """One line of the ledger: never updated, never deleted."""

    id = fields.BigIntField(primary_key=True)  # the ledger's order
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="stock_moves", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="stock_moves", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="moves", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(MoveKind, max_length=16)
    qty_delta = fields.BigIntField()  # + in, − out
    balance_after = fields.BigIntField()  # the balance's on_hand right after this move
    # What the move was worth at cost when posted, signed like qty_delta: a purchase at its
    # price, anything else at the moving-average cost then (the 进价 before there is one).
    # None: no cost was known, or a move from before costs were recorded.
    value_fen = fields.BigIntField(null=True)
    reference = fields.CharField(max_length=32, default="")  # CG-…, DD-…, the other warehouse
    member = fields.CharField(max_length=32, default="")  # who it went to (领用 张三)
    note = fields.CharField(max_length=200, default="")
    actor_id: int | None
    actor: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="stock_moves", null=True, on_delete=fields.SET_NULL
    )
    # Posting the same thing twice (a retried shipment) finds this key taken and posts nothing.
    key = fields.CharField(max_length=64, null=True)
    at = fields.DatetimeField()

    class Meta:
        table = "erp_stock_move"
        unique_together = (("tenant", "key"),)
        indexes = (("tenant_id", "product_id", "at"), ("product_id", "warehouse_id", "id"))


class StockRefusal(Model):
    """A stock-out refused for short stock (库存不足): what was wanted and what was there.
    Written after the refused command's own changes were rolled back, so it stays; the
    morning stock note lists yesterday's."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="stock_refusals", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="stock_refusals", on_delete=fields.CASCADE
    )
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="refusals", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(MoveKind, max_length=16)
    wanted = fields.BigIntField()  # > 0: how much was asked to go out
    available = fields.BigIntField()  # what was available then
    reference = fields.CharField(max_length=32, default="")
    member = fields.CharField(max_length=32, default="")
    actor_id: int | None
    actor: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="stock_refusals", null=True, on_delete=fields.SET_NULL
    )
    at = fields.DatetimeField()

    class Meta:
        table = "erp_stock_refusal"
        indexes = (("tenant_id", "at"),)


class Supplier(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="suppliers", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=64)
    contact = fields.CharField(max_length=32, default="")
    mobile = fields.CharField(max_length=20, default="")
    note = fields.CharField(max_length=200, default="")
    enabled = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "erp_supplier"
        unique_together = (("tenant", "name"),)


class PurchaseState(StrEnum):
    DRAFT = "draft"  # written, waiting for 确认
    PENDING = "pending"  # 确认ed where the tenant wants approval: waiting for an admin
    CONFIRMED = "confirmed"  # sent to the supplier, nothing arrived yet
    PARTIAL = "partial"  # some arrived
    RECEIVED = "received"  # everything arrived
    CANCELLED = "cancelled"  # only before anything arrived


OPEN_PURCHASES = (PurchaseState.CONFIRMED, PurchaseState.PARTIAL)


class PurchaseOrder(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="purchase_orders", on_delete=fields.CASCADE
    )
    number = fields.CharField(max_length=24)  # CG-20261123-0001
    day = fields.DateField()
    seq = fields.IntField()
    supplier_id: int
    supplier: fields.ForeignKeyRelation[Supplier] = fields.ForeignKeyField(
        "erp.Supplier", related_name="orders", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="purchase_orders", on_delete=fields.RESTRICT
    )
    state = fields.CharEnumField(PurchaseState, max_length=16, default=PurchaseState.DRAFT)
    expected_date = fields.DateField(null=True)  # tenant-local: when the supplier delivers
    total_fen = fields.BigIntField()
    note = fields.CharField(max_length=200, default="")
    created_by_id: int | None
    created_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="purchase_orders", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    submitted_at = fields.DatetimeField(null=True)  # sent for approval (采购审批)
    approved_by = fields.CharField(max_length=64, default="")  # the admin who approved it
    received_at = fields.DatetimeField(null=True)  # when the last of it arrived
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=200, default="")
    lines: fields.ReverseRelation[PurchaseLine]

    class Meta:
        table = "erp_purchase_order"
        unique_together = (("tenant", "number"), ("tenant", "day", "seq"))
        indexes = (
            ("tenant_id", "seq", "day"),
            ("tenant_id", "state", "expected_date"),
            ("tenant_id", "supplier_id", "created_at"),
        )


class ApprovalMode(StrEnum):
    OFF = "off"  # a confirmed purchase goes out at once
    ALL = "all"  # every purchase waits for an admin
    OVER = "over"  # purchases over ``over_fen`` wait for an admin


class PurchaseRules(Model):
    """A tenant's purchase approval setting (采购设置). Without a row, no approval.
    It also holds the over-receipt tolerance (超收), none without a row."""

    id = fields.IntField(primary_key=True)
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="purchase_rules", on_delete=fields.CASCADE
    )
    tenant_id: int
    approval = fields.CharEnumField(ApprovalMode, max_length=8, default=ApprovalMode.OFF)
    over_fen = fields.BigIntField(default=0)
    # 超收: a line may receive up to qty × (1 + over_receipt_bp / 10000), rounded down; in
    # basis points so that 2.5% stays an integer. 0: never more than was ordered.
    over_receipt_bp = fields.IntField(default=0)
    updated_by = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "erp_purchase_rules"


class PurchaseLine(Model):
    """``received`` only grows, and only by a guarded UPDATE that keeps it ≤ ``qty``;
    ``returned`` (goods sent back to the supplier) likewise, kept ≤ ``received``. (``qty``
    grows by the tenant's over-receipt tolerance, when it has one.)"""

    id = fields.IntField(primary_key=True)
    order_id: int
    order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "erp.PurchaseOrder", related_name="lines", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="purchase_lines", on_delete=fields.RESTRICT
    )
    position = fields.IntField()
    qty = fields.IntField()
    unit = fields.CharField(max_length=8, default="")
    unit_price_fen = fields.BigIntField()
    line_total_fen = fields.BigIntField()
    received = fields.IntField(default=0)
    returned = fields.IntField(default=0)

    class Meta:
        table = "erp_purchase_line"
        unique_together = (("order", "position"),)


class CountState(StrEnum):
    OPEN = "open"  # people are counting
    CONFIRMED = "confirmed"  # its differences are posted
    CANCELLED = "cancelled"


class StockCount(Model):
    """A stock count (盘点) of one warehouse: ``PD-20261123-0001``, numbered like purchase
    orders. Counting posts nothing; an admin's confirmation posts each line's difference."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="stock_counts", on_delete=fields.CASCADE
    )
    number = fields.CharField(max_length=24)
    day = fields.DateField()
    seq = fields.IntField()
    warehouse_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "erp.Warehouse", related_name="counts", on_delete=fields.RESTRICT
    )
    state = fields.CharEnumField(CountState, max_length=16, default=CountState.OPEN)
    created_by_id: int | None
    created_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="stock_counts", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "erp_stock_count"
        unique_together = (("tenant", "number"), ("tenant", "day", "seq"))
        indexes = (("tenant_id", "seq", "day"), ("tenant_id", "state"))


class StockCountLine(Model):
    """What was counted of one product, and where the ledger stood at that moment: the book
    quantity then and the id of the last move before it. Confirming applies
    ``counted − book_qty`` on top of whatever moved since, so selling during a count never
    corrupts stock."""

    id = fields.IntField(primary_key=True)
    count_id: int
    count: fields.ForeignKeyRelation[StockCount] = fields.ForeignKeyField(
        "erp.StockCount", related_name="lines", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="count_lines", on_delete=fields.RESTRICT
    )
    counted = fields.BigIntField()
    book_qty = fields.BigIntField()  # on_hand when counted
    ledger_position = fields.BigIntField(default=0)  # the last move's id then (0: none)
    counted_by_id: int | None
    counted_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="count_lines", null=True, on_delete=fields.SET_NULL
    )
    counted_at = fields.DatetimeField()

    class Meta:
        table = "erp_stock_count_line"
        unique_together = (("count", "product"),)


__models__ = [
    Warehouse,
    StockBalance,
    StockReservation,
    StockMove,
    StockRefusal,
    Supplier,
    PurchaseOrder,
    PurchaseRules,
    PurchaseLine,
    StockCount,
    StockCountLine,
]
