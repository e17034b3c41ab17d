"""Sales orders (订单): the order and its lines, its payment plan, the money that came in
and went back, and what was shipped.

An order's number reads ``DD-20261207-0001``: the tenant-local day it was written and a
sequence that restarts every day, so people can say just the tail (``0001``).

The facts are stored: collections, refunds, shipments. Whether a payment is overdue and how
much is shipped are derived from them whenever they are shown (``bot.orders.progress``), so
no status column can drift from what happened. The one sum kept on the order row is the money:
``paid_fen`` (Σ collections − Σ refunds) and ``refunded_fen`` (Σ refunds), changed by an
atomic UPDATE in the same transaction as the collection or refund row (``bot.orders.paid``),
because lists over every open order cannot sum two tables per order in time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.products import Product
from models.tenants import Employee, Tenant


class OrderState(StrEnum):
    DRAFT = "draft"  # written, waiting for the salesperson's 确认
    CONFIRMED = "confirmed"
    COMPLETED = "completed"  # paid in full and shipped in full
    CANCELLED = "cancelled"


OPEN_STATES = (OrderState.DRAFT, OrderState.CONFIRMED)


class Order(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="sales_orders", on_delete=fields.CASCADE
    )
    number = fields.CharField(max_length=24)  # DD-20261207-0001
    day = fields.DateField()  # the tenant-local day of the number
    seq = fields.IntField()  # the number's tail: counts per tenant and day from 1
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="sales_orders", on_delete=fields.RESTRICT
    )
    owner_id: int | None
    owner: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="owned_orders", null=True, on_delete=fields.SET_NULL
    )
    state = fields.CharEnumField(OrderState, max_length=16, default=OrderState.DRAFT)
    subtotal_fen = fields.BigIntField()  # Σ line totals
    # 打9折 is kept as 90 (percent) next to the amount it came to; 优惠200元 has no percent.
    discount_percent = fields.IntField(null=True)
    discount_fen = fields.BigIntField(default=0)
    total_fen = fields.BigIntField()  # subtotal − discount
    paid_fen = fields.BigIntField(default=0)  # Σ collections − Σ refunds (bot.orders.paid)
    refunded_fen = fields.BigIntField(default=0)  # Σ refunds: 已退款 tells itself from 未付款
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "sales_order"
        unique_together = (("tenant", "number"), ("tenant", "day", "seq"))
        indexes = (
            ("tenant_id", "seq", "day"),  # a tail (0001): the most recent day first
            ("tenant_id", "owner_id", "state"),  # 我的订单
            ("tenant_id", "customer_id", "state"),  # a customer's open orders
            # 本月销售 / 销售统计: a period's sold orders and every column their sums read
            (
                "tenant_id",
                "state",
                "confirmed_at",
                "owner_id",
                "customer_id",
                "total_fen",
                "paid_fen",
            ),
            # 待回款: the open orders oldest first, with what they owe, read from the index alone
            ("tenant_id", "state", "created_at", "total_fen", "paid_fen"),
        )


class OrderLine(Model):
    """``line_total_fen`` = qty × unit price: both integers, so exact (no rounding)."""

    id = fields.IntField(primary_key=True)
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="lines", on_delete=fields.CASCADE
    )
    product_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "products.Product", related_name="order_lines", on_delete=fields.RESTRICT
    )
    position = fields.IntField()  # 1, 2, … as written
    qty = fields.IntField()
    unit = fields.CharField(max_length=8, default="")
    unit_price_fen = fields.BigIntField()
    line_total_fen = fields.BigIntField()
    # Set when an installation booked from this order is completed (bot.installation.orders):
    # at most what was shipped, once a shipment exists.
    installed_qty = fields.IntField(default=0)

    class Meta:
        table = "sales_order_line"
        unique_together = (("order", "position"),)
        indexes = (("order_id", "product_id", "line_total_fen"),)  # 销售统计 by product


class PaymentInstallment(Model):
    """One period of the payment plan (回款计划). Collections pay the periods in order, and the
    two ``*_at`` columns are each set once by the reminder sweep's conditional UPDATE."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="payment_installments", on_delete=fields.CASCADE
    )
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="installments", on_delete=fields.CASCADE
    )
    period = fields.IntField()  # 第 1 期, 第 2 期, …
    due_date = fields.DateField()  # tenant-local
    amount_fen = fields.BigIntField()
    reminded_at = fields.DatetimeField(null=True)
    overdue_notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payment_installment"
        unique_together = (("order", "period"),)
        indexes = (("due_date", "reminded_at"), ("due_date", "overdue_notified_at"))


class CollectionSource(StrEnum):
    CHAT = "chat"  # 收到星辰科技回款 5000 转账
    EXTERNALPAY = "externalpay"  # WeCom 对外收款


class Collection(Model):
    """Money received (回款) for an order. ``external_id`` (a WeCom transaction id) is unique
    per tenant, so a bill seen twice is stored once."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="collections", on_delete=fields.CASCADE
    )
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="collections", on_delete=fields.RESTRICT
    )
    amount_fen = fields.BigIntField()
    method = fields.CharField(max_length=16, default="")  # 转账, 现金, 微信, 支付宝, …
    source = fields.CharEnumField(CollectionSource, max_length=16, default=CollectionSource.CHAT)
    external_id = fields.CharField(max_length=64, null=True)
    recorded_by_id: int | None
    recorded_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="collections", null=True, on_delete=fields.SET_NULL
    )
    received_at = fields.DatetimeField()

    class Meta:
        table = "order_collection"
        unique_together = (("tenant", "external_id"),)
        indexes = (("order_id", "received_at"), ("tenant_id", "received_at"))


class Refund(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="order_refunds", on_delete=fields.CASCADE
    )
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="refunds", on_delete=fields.RESTRICT
    )
    amount_fen = fields.BigIntField()
    reason = fields.CharField(max_length=200, default="")
    external_id = fields.CharField(max_length=64, null=True)  # WeCom out_refund_no
    recorded_by_id: int | None
    recorded_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="order_refunds", null=True, on_delete=fields.SET_NULL
    )
    refunded_at = fields.DatetimeField()

    class Meta:
        table = "order_refund"
        unique_together = (("tenant", "external_id"),)
        indexes = (("order_id", "refunded_at"),)


class Shipment(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="shipments", on_delete=fields.CASCADE
    )
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "orders.Order", related_name="shipments", on_delete=fields.RESTRICT
    )
    carrier = fields.CharField(max_length=16, default="")
    tracking_no = fields.CharField(max_length=40, default="")
    shipped_by_id: int | None
    shipped_by: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="shipments", null=True, on_delete=fields.SET_NULL
    )
    shipped_at = fields.DatetimeField()

    class Meta:
        table = "order_shipment"
        indexes = (("order_id", "shipped_at"),)


class ShipmentLine(Model):
    id = fields.IntField(primary_key=True)
    shipment_id: int
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "orders.Shipment", related_name="lines", on_delete=fields.CASCADE
    )
    order_line_id: int
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "orders.OrderLine", related_name="shipped", on_delete=fields.RESTRICT
    )
    qty = fields.IntField()

    class Meta:
        table = "order_shipment_line"


class OrderRules(Model):
    """What an admin set for the orders of a tenant (``订单设置``), the defaults without a row."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="order_rules", on_delete=fields.CASCADE
    )
    # Some tenants take prepayments or deposits beyond the order's total; most want the
    # mistyped extra zero refused.
    allow_overpayment = fields.BooleanField(default=False)
    terms_days = fields.IntField(default=30)  # a period with no date falls due this many days on
    remind_days = fields.IntField(default=3)  # the owner hears of a period this many days before
    updated_by = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "order_rules"


class ExternalPaySync(Model):
    """Where a tenant's 对外收款 sync stands: everything paid before ``synced_until`` is in, and a
    run under way pages the window from ``window_begin`` (towards ``target_end``) at
    ``cursor``, so a run stopped half way resumes there. A 48002 answer (the app may not
    read 对外收款) is kept in ``last_error`` and no call is made before ``blocked_until``."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="externalpay_sync", on_delete=fields.CASCADE
    )
    synced_until = fields.DatetimeField(null=True)
    window_begin = fields.DatetimeField(null=True)
    target_end = fields.DatetimeField(null=True)
    cursor = fields.CharField(max_length=256, default="")
    blocked_until = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=200, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "order_externalpay_sync"


class PendingBillReason(StrEnum):
    UNKNOWN_PAYER = "unknown_payer"  # no customer has the bill's external_userid
    NO_ORDER = "no_order"  # no open order of the customer lacks exactly this amount
    SEVERAL_ORDERS = "several_orders"  # more than one does


class PendingBill(Model):
    """A paid 对外收款 bill the sync could not tie to one order: it waits for the owner
    (待认领收款) instead of being guessed. Unique per tenant and transaction id."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="pending_bills", on_delete=fields.CASCADE
    )
    transaction_id = fields.CharField(max_length=64)
    out_trade_no = fields.CharField(max_length=64, default="")
    external_userid = fields.CharField(max_length=64, default="")
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="pending_bills", null=True, on_delete=fields.SET_NULL
    )
    payee_userid = fields.CharField(max_length=64, default="")
    amount_fen = fields.BigIntField()
    refunded_fen = fields.BigIntField(default=0)  # successful refunds seen on the bill
    # Those refunds ({"no": out_refund_no, "fee": fen, "at": seconds, "comment": …}), so a
    # claimed bill's refunds are stored under the ids the sync would give them: never twice.
    refunds: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    remark = fields.CharField(max_length=200, default="")
    reason = fields.CharEnumField(PendingBillReason, max_length=16)
    paid_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "order_pending_bill"
        unique_together = (("tenant", "transaction_id"),)
        indexes = (("tenant_id", "paid_at"),)


__models__ = [
    OrderRules,
    Order,
    OrderLine,
    PaymentInstallment,
    Collection,
    Refund,
    Shipment,
    ShipmentLine,
    ExternalPaySync,
    PendingBill,
]
