from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0003_avg_cost')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Product',
            name='allow_negative',
            field=fields.BooleanField(default=False),
        ),
    ]
