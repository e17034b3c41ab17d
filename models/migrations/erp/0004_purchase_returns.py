from tortoise import migrations
from tortoise.migrations import operations as ops
from models.erp import MoveKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('erp', '0003_stock_refusals'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0001_initial'), ('products', '0002_min_qty')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='PurchaseLine',
            options={'table': 'erp_purchase_line', 'app': 'erp', 'unique_together': (('order', 'position'),), 'pk_attr': 'id', 'table_description': '``received`` only grows, and only by a guarded UPDATE that keeps it ≤ ``qty``;'},
        ),
        ops.AddField(
            model_name='PurchaseLine',
            name='returned',
            field=fields.IntField(default=0),
        ),
        ops.AlterField(
            model_name='StockMove',
            name='kind',
            field=fields.CharEnumField(description='STOCK_IN: stock_in\nSTOCK_OUT: stock_out\nISSUE: issue\nTRANSFER_OUT: transfer_out\nTRANSFER_IN: transfer_in\nPURCHASE_IN: purchase_in\nCOUNT: count\nSALE_OUT: sale_out\nPURCHASE_RETURN: purchase_return', enum_type=MoveKind, max_length=16),
        ),
        ops.AlterField(
            model_name='StockRefusal',
            name='kind',
            field=fields.CharEnumField(description='STOCK_IN: stock_in\nSTOCK_OUT: stock_out\nISSUE: issue\nTRANSFER_OUT: transfer_out\nTRANSFER_IN: transfer_in\nPURCHASE_IN: purchase_in\nCOUNT: count\nSALE_OUT: sale_out\nPURCHASE_RETURN: purchase_return', enum_type=MoveKind, max_length=16),
        ),
    ]
