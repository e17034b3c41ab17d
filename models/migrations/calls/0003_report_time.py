from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('calls', '0002_daily_figures'), ('crm', '0005_remark_numbers'), ('followups', '0001_initial'), ('followups', '0002_recurring_rules'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing')]

    initial = False

    operations = [
        ops.AddField(
            model_name='CallSettings',
            name='report_minute',
            field=fields.IntField(default=1080),
        ),
        ops.AddField(
            model_name='CallSettings',
            name='report_on',
            field=fields.BooleanField(default=True),
        ),
    ]
