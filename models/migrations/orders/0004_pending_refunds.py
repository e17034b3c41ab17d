from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('orders', '0003_externalpay')]

    initial = False

    operations = [
        ops.AddField(
            model_name='PendingBill',
            name='refunds',
            field=fields.JSONField(default=list),
        ),
    ]
