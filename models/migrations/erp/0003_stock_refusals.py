from tortoise import migrations
from tortoise.migrations import operations as ops
from models.erp import MoveKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('erp', '0002_stock_counts'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0001_initial'), ('products', '0002_min_qty')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StockRefusal',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='stock_refusals', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('products.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='stock_refusals', on_delete=OnDelete.CASCADE)),
                ('warehouse', fields.ForeignKeyField('erp.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='refusals', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='STOCK_IN: stock_in\nSTOCK_OUT: stock_out\nISSUE: issue\nTRANSFER_OUT: transfer_out\nTRANSFER_IN: transfer_in\nPURCHASE_IN: purchase_in\nCOUNT: count\nSALE_OUT: sale_out', enum_type=MoveKind, max_length=16)),
                ('wanted', fields.BigIntField()),
                ('available', fields.BigIntField()),
                ('reference', fields.CharField(default='', max_length=32)),
                ('member', fields.CharField(default='', max_length=32)),
                ('actor', fields.ForeignKeyField('models.Employee', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='stock_refusals', on_delete=OnDelete.SET_NULL)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_stock_refusal', 'app': 'erp', 'indexes': [Index(fields=['tenant_id', 'at'])], 'pk_attr': 'id', 'table_description': 'A stock-out refused for short stock (库存不足): what was wanted and what was there.'},
            bases=['Model'],
        ),
    ]
