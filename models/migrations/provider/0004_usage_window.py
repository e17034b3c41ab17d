from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('provider', '0003_console')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TenantUsageWindow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', unique=True, db_constraint=True, to_field='id', related_name='usage_window', on_delete=OnDelete.CASCADE)),
                ('as_of', fields.DateField()),
                ('active_7', fields.IntField(default=0)),
                ('active_30', fields.IntField(default=0)),
                ('modules_used', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('refused_modules', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('refused_seats', fields.IntField(default=0)),
                ('commands_last_14', fields.IntField(default=0)),
                ('commands_previous_14', fields.IntField(default=0)),
                ('capabilities_used', fields.IntField(default=0)),
                ('capabilities_owned', fields.IntField(default=0)),
                ('built_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tenant_usage_window', 'app': 'provider', 'pk_attr': 'id', 'table_description': "A client's last 30 days as of the end of one of its days (``as_of``, its yesterday when"},
            bases=['Model'],
        ),
    ]
