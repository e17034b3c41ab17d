from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('erp', '0006_over_receipt_tolerance'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0001_initial'), ('products', '0002_min_qty'), ('products', '0003_avg_cost'), ('products', '0004_allow_negative')]

    initial = False

    operations = [
        ops.AddField(
            model_name='StockMove',
            name='value_fen',
            field=fields.BigIntField(null=True),
        ),
    ]
