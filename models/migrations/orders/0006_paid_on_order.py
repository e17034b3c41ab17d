"""The money on the order row: ``paid_fen`` (Σ collections − Σ refunds) and ``refunded_fen``
(Σ refunds), filled from the collections and refunds already stored; the index the 待回款
list reads them from, and covering indexes for 销售统计 (the sold orders' index grows to carry
every column their sums read, the lines get one by product)."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

BACKFILL = (
    "UPDATE sales_order SET"
    " paid_fen = (SELECT COALESCE(SUM(c.amount_fen), 0) FROM order_collection c"
    " WHERE c.order_id = sales_order.id)"
    " - (SELECT COALESCE(SUM(r.amount_fen), 0) FROM order_refund r"
    " WHERE r.order_id = sales_order.id),"
    " refunded_fen = (SELECT COALESCE(SUM(r.amount_fen), 0) FROM order_refund r"
    " WHERE r.order_id = sales_order.id)"
)


class Migration(migrations.Migration):
    dependencies = [('orders', '0005_installed_qty')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Order',
            name='paid_fen',
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name='Order',
            name='refunded_fen',
            field=fields.BigIntField(default=0),
        ),
        ops.RunSQL(BACKFILL, reverse_sql=ops.RunSQL.noop),
        ops.AddIndex(
            model_name='Order',
            index=Index(fields=['tenant_id', 'state', 'created_at', 'total_fen', 'paid_fen']),
        ),
        ops.RemoveIndex(
            model_name='Order',
            name=None,
            fields=['tenant_id', 'state', 'confirmed_at'],
        ),
        ops.AddIndex(
            model_name='Order',
            index=Index(
                fields=[
                    'tenant_id', 'state', 'confirmed_at', 'owner_id', 'customer_id', 'total_fen',
                    'paid_fen',
                ]
            ),
        ),
        ops.AddIndex(
            model_name='OrderLine',
            index=Index(fields=['order_id', 'product_id', 'line_total_fen']),
        ),
    ]
