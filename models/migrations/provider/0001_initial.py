from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.provider import Outcome
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_shared_pacing')]

    initial = True

    operations = [
        ops.CreateModel(
            name='TenantDailyUsage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='daily_usage', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('active_members', fields.IntField(default=0)),
                ('commands', fields.IntField(default=0)),
                ('errors', fields.IntField(default=0)),
                ('capabilities_used', fields.IntField(default=0)),
                ('capabilities_owned', fields.IntField(default=0)),
                ('by_capability', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('core_actions', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('refused_modules', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('refused_seats', fields.IntField(default=0)),
                ('built_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tenant_daily_usage', 'app': 'provider', 'unique_together': (('tenant', 'day'),), 'indexes': [Index(fields=['day'])], 'pk_attr': 'id', 'table_description': "A tenant's usage on one day of its own calendar, summed from its usage events."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UsageEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='usage_events', on_delete=OnDelete.CASCADE)),
                ('userid', fields.CharField(default='', max_length=64)),
                ('capability', fields.CharField(max_length=32)),
                ('module', fields.CharField(max_length=32)),
                ('intent', fields.CharField(max_length=96)),
                ('outcome', fields.CharEnumField(description='OK: ok\nREFUSED_MODULE: refused_module\nREFUSED_SEAT: refused_seat\nREFUSED: refused\nERROR: error', enum_type=Outcome, max_length=16)),
                ('latency_ms', fields.IntField(default=0)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'usage_event', 'app': 'provider', 'indexes': [Index(fields=['tenant_id', 'at']), Index(fields=['at'])], 'pk_attr': 'id', 'table_description': 'One command a member ran (or tried to run).'},
            bases=['Model'],
        ),
    ]
