from tortoise import migrations
from tortoise.migrations import operations as ops
from models.erp import CountState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('erp', '0001_initial'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0002_min_qty')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StockCount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='stock_counts', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=24)),
                ('day', fields.DateField()),
                ('seq', fields.IntField()),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='counts', on_delete=OnDelete.RESTRICT)),
                ('state', fields.CharEnumField(default=CountState.OPEN, description='OPEN: open\nCONFIRMED: confirmed\nCANCELLED: cancelled', enum_type=CountState, max_length=16)),
                ('created_by', fields.ForeignKeyField('models.Employee', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='stock_counts', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_count', 'app': 'erp', 'unique_together': (('tenant', 'number'), ('tenant', 'day', 'seq')), 'indexes': [Index(fields=['tenant_id', 'seq', 'day']), Index(fields=['tenant_id', 'state'])], 'pk_attr': 'id', 'table_description': 'A stock count (盘点) of one warehouse: ``PD-20261123-0001``, numbered like purchase'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StockCountLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('count', fields.ForeignKeyField('erp.StockCount', source_field='count_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='count_lines', on_delete=OnDelete.RESTRICT)),
                ('counted', fields.BigIntField()),
                ('book_qty', fields.BigIntField()),
                ('ledger_position', fields.BigIntField(default=0)),
                ('counted_by', fields.ForeignKeyField('models.Employee', source_field='counted_by_id', null=True, db_constraint=True, to_field='id', related_name='count_lines', on_delete=OnDelete.SET_NULL)),
                ('counted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_count_line', 'app': 'erp', 'unique_together': (('count', 'product'),), 'pk_attr': 'id', 'table_description': 'What was counted of one product, and where the ledger stood at that moment: the book'},
            bases=['Model'],
        ),
    ]
