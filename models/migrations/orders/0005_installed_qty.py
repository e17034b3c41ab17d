from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('orders', '0004_pending_refunds')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OrderLine',
            name='installed_qty',
            field=fields.IntField(default=0),
        ),
    ]
