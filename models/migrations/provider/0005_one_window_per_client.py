from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('provider', '0004_usage_window')]

    initial = False

    operations = [
        ops.AddConstraint(
            model_name='TenantUsageWindow',
            constraint=UniqueConstraint(fields=('tenant',), name=None),
        ),
    ]
