from tortoise import migrations
from tortoise.migrations import operations as ops
from models.orders import CollectionSource, OrderState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0003_archived_customers'), ('models', '0004_shared_pacing'), ('products', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Order',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='sales_orders', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=24)),
                ('day', fields.DateField()),
                ('seq', fields.IntField()),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='sales_orders', on_delete=OnDelete.RESTRICT)),
                ('owner', fields.ForeignKeyField('models.Employee', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='owned_orders', on_delete=OnDelete.SET_NULL)),
                ('state', fields.CharEnumField(default=OrderState.DRAFT, description='DRAFT: draft\nCONFIRMED: confirmed\nCOMPLETED: completed\nCANCELLED: cancelled', enum_type=OrderState, max_length=16)),
                ('subtotal_fen', fields.BigIntField()),
                ('discount_percent', fields.IntField(null=True)),
                ('discount_fen', fields.BigIntField(default=0)),
                ('total_fen', fields.BigIntField()),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'sales_order', 'app': 'orders', 'unique_together': (('tenant', 'number'), ('tenant', 'day', 'seq')), 'indexes': [Index(fields=['tenant_id', 'seq', 'day']), Index(fields=['tenant_id', 'owner_id', 'state']), Index(fields=['tenant_id', 'customer_id', 'state']), Index(fields=['tenant_id', 'state', 'confirmed_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Collection',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='collections', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='collections', on_delete=OnDelete.RESTRICT)),
                ('amount_fen', fields.BigIntField()),
                ('method', fields.CharField(default='', max_length=16)),
                ('source', fields.CharEnumField(default=CollectionSource.CHAT, description='CHAT: chat\nEXTERNALPAY: externalpay', enum_type=CollectionSource, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=64)),
                ('recorded_by', fields.ForeignKeyField('models.Employee', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='collections', on_delete=OnDelete.SET_NULL)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_collection', 'app': 'orders', 'unique_together': (('tenant', 'external_id'),), 'indexes': [Index(fields=['order_id', 'received_at']), Index(fields=['tenant_id', 'received_at'])], 'pk_attr': 'id', 'table_description': 'Money received (回款) for an order. ``external_id`` (a WeCom transaction id) is unique'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='order_lines', on_delete=OnDelete.RESTRICT)),
                ('position', fields.IntField()),
                ('qty', fields.IntField()),
                ('unit', fields.CharField(default='', max_length=8)),
                ('unit_price_fen', fields.BigIntField()),
                ('line_total_fen', fields.BigIntField()),
            ],
            options={'table': 'sales_order_line', 'app': 'orders', 'unique_together': (('order', 'position'),), 'pk_attr': 'id', 'table_description': '``line_total_fen`` = qty × unit price: both integers, so exact (no rounding).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PaymentInstallment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='payment_installments', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='installments', on_delete=OnDelete.CASCADE)),
                ('period', fields.IntField()),
                ('due_date', fields.DateField()),
                ('amount_fen', fields.BigIntField()),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('overdue_notified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payment_installment', 'app': 'orders', 'unique_together': (('order', 'period'),), 'indexes': [Index(fields=['due_date', 'reminded_at']), Index(fields=['due_date', 'overdue_notified_at'])], 'pk_attr': 'id', 'table_description': 'One period of the payment plan (回款计划). Collections pay the periods in order, and the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Refund',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='order_refunds', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.RESTRICT)),
                ('amount_fen', fields.BigIntField()),
                ('reason', fields.CharField(default='', max_length=200)),
                ('external_id', fields.CharField(null=True, max_length=64)),
                ('recorded_by', fields.ForeignKeyField('models.Employee', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='order_refunds', on_delete=OnDelete.SET_NULL)),
                ('refunded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_refund', 'app': 'orders', 'unique_together': (('tenant', 'external_id'),), 'indexes': [Index(fields=['order_id', 'refunded_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Shipment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='shipments', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('orders.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='shipments', on_delete=OnDelete.RESTRICT)),
                ('carrier', fields.CharField(default='', max_length=16)),
                ('tracking_no', fields.CharField(default='', max_length=40)),
                ('shipped_by', fields.ForeignKeyField('models.Employee', source_field='shipped_by_id', null=True, db_constraint=True, to_field='id', related_name='shipments', on_delete=OnDelete.SET_NULL)),
                ('shipped_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_shipment', 'app': 'orders', 'indexes': [Index(fields=['order_id', 'shipped_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShipmentLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shipment', fields.ForeignKeyField('orders.Shipment', source_field='shipment_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('orders.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='shipped', on_delete=OnDelete.RESTRICT)),
                ('qty', fields.IntField()),
            ],
            options={'table': 'order_shipment_line', 'app': 'orders', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
