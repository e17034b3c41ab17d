from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('erp', '0007_move_values_at_cost'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('orders', '0006_paid_on_order'), ('products', '0001_initial'), ('products', '0002_min_qty'), ('products', '0003_avg_cost'), ('products', '0004_allow_negative')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StockReservation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='stock_reservations', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='stock_reservations', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.OneToOneField('orders.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='stock_reservation', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='stock_reservations', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='reservations', on_delete=OnDelete.RESTRICT)),
                ('wanted', fields.BigIntField()),
                ('qty', fields.BigIntField()),
                ('shipped', fields.BigIntField(default=0)),
                ('released', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_reservation', 'app': 'erp', 'indexes': [Index(fields=['tenant_id', 'product_id', 'warehouse_id']), Index(fields=['order_id'])], 'pk_attr': 'id', 'table_description': 'Stock held for one confirmed order line (库存占用), in one warehouse.'},
            bases=['Model'],
        ),
    ]
