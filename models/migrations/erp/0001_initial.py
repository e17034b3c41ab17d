from tortoise import migrations
from tortoise.migrations import operations as ops
from models.erp import MoveKind, PurchaseState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Supplier',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='suppliers', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=64)),
                ('contact', fields.CharField(default='', max_length=32)),
                ('mobile', fields.CharField(default='', max_length=20)),
                ('note', fields.CharField(default='', max_length=200)),
                ('enabled', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_supplier', 'app': 'erp', 'unique_together': (('tenant', 'name'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Warehouse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='warehouses', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=32)),
                ('is_default', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_warehouse', 'app': 'erp', 'unique_together': (('tenant', 'name'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PurchaseOrder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='purchase_orders', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=24)),
                ('day', fields.DateField()),
                ('seq', fields.IntField()),
                ('supplier', fields.ForeignKeyField('erp.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='purchase_orders', on_delete=OnDelete.RESTRICT)),
                ('state', fields.CharEnumField(default=PurchaseState.DRAFT, description='DRAFT: draft\nCONFIRMED: confirmed\nPARTIAL: partial\nRECEIVED: received\nCANCELLED: cancelled', enum_type=PurchaseState, max_length=16)),
                ('expected_date', fields.DateField(null=True)),
                ('total_fen', fields.BigIntField()),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_by', fields.ForeignKeyField('models.Employee', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='purchase_orders', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('received_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'erp_purchase_order', 'app': 'erp', 'unique_together': (('tenant', 'number'), ('tenant', 'day', 'seq')), 'indexes': [Index(fields=['tenant_id', 'seq', 'day']), Index(fields=['tenant_id', 'state', 'expected_date']), Index(fields=['tenant_id', 'supplier_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PurchaseLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('erp.PurchaseOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='purchase_lines', on_delete=OnDelete.RESTRICT)),
                ('position', fields.IntField()),
                ('qty', fields.IntField()),
                ('unit', fields.CharField(default='', max_length=8)),
                ('unit_price_fen', fields.BigIntField()),
                ('line_total_fen', fields.BigIntField()),
                ('received', fields.IntField(default=0)),
            ],
            options={'table': 'erp_purchase_line', 'app': 'erp', 'unique_together': (('order', 'position'),), 'pk_attr': 'id', 'table_description': '``received`` only grows, and only by a guarded UPDATE that keeps it ≤ ``qty``.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StockBalance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='stock_balances', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='stock_balances', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='balances', on_delete=OnDelete.RESTRICT)),
                ('on_hand', fields.BigIntField(default=0)),
                ('reserved', fields.BigIntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_balance', 'app': 'erp', 'unique_together': (('product', 'warehouse'),), 'indexes': [Index(fields=['tenant_id', 'warehouse_id'])], 'pk_attr': 'id', 'table_description': 'What one warehouse holds of one product. Only ``bot.erp.stock`` writes it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StockMove',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='stock_moves', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='stock_moves', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='moves', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='STOCK_IN: stock_in\nSTOCK_OUT: stock_out\nISSUE: issue\nTRANSFER_OUT: transfer_out\nTRANSFER_IN: transfer_in\nPURCHASE_IN: purchase_in\nCOUNT: count\nSALE_OUT: sale_out', enum_type=MoveKind, max_length=16)),
                ('qty_delta', fields.BigIntField()),
                ('balance_after', fields.BigIntField()),
                ('reference', fields.CharField(default='', max_length=32)),
                ('member', fields.CharField(default='', max_length=32)),
                ('note', fields.CharField(default='', max_length=200)),
                ('actor', fields.ForeignKeyField('models.Employee', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='stock_moves', on_delete=OnDelete.SET_NULL)),
                ('key', fields.CharField(null=True, max_length=64)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_move', 'app': 'erp', 'unique_together': (('tenant', 'key'),), 'indexes': [Index(fields=['tenant_id', 'product_id', 'at']), Index(fields=['product_id', 'warehouse_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One line of the ledger: never updated, never deleted.'},
            bases=['Model'],
        ),
    ]
