from tortoise import migrations
from tortoise.migrations import operations as ops
from models.subscriptions import OrderKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('billing', '0001_subscriptions'), ('models', '0002_dispatcher_role')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Order',
            name='kind',
            field=fields.CharEnumField(description='RENEWAL: renewal\nCHANGE: change\nSERVICE: service', enum_type=OrderKind, max_length=16),
        ),
    ]
