from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('erp', '0005_purchase_approval'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0004_allow_negative')]

    initial = False

    operations = [
        ops.AddField(
            model_name='PurchaseRules',
            name='over_receipt_bp',
            field=fields.IntField(default=0),
        ),
    ]
