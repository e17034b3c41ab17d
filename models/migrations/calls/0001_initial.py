from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.calls import CallDirection, CallSource, CallStage, Disposition
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0004_order_notes'), ('followups', '0002_recurring_rules'), ('models', '0004_shared_pacing')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CallRecord',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='calls', on_delete=OnDelete.CASCADE)),
                ('dedup_key', fields.CharField(max_length=96)),
                ('source', fields.CharEnumField(description='WECOM_DIAL: wecom_dial\nWEBHOOK: webhook\nMANUAL: manual', enum_type=CallSource, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=96)),
                ('direction', fields.CharEnumField(description='INBOUND: in\nOUTBOUND: out', enum_type=CallDirection, max_length=8)),
                ('number', fields.CharField(default='', max_length=32)),
                ('line', fields.CharField(default='', max_length=32)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', null=True, db_constraint=True, to_field='id', related_name='calls', on_delete=OnDelete.SET_NULL)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='calls', on_delete=OnDelete.SET_NULL)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('duration_secs', fields.IntField(default=0)),
                ('talk_secs', fields.IntField(default=0)),
                ('disposition', fields.CharEnumField(description='ANSWERED: answered\nMISSED: missed\nBUSY: busy\nFAILED: failed', enum_type=Disposition, max_length=16)),
                ('stage', fields.CharEnumField(default=CallStage.ENDED, description='RINGING: ringing\nANSWERED: answered\nENDED: ended', enum_type=CallStage, max_length=16)),
                ('note', fields.CharField(default='', max_length=500)),
                ('recording_url', fields.CharField(default='', max_length=512)),
                ('popped', fields.BooleanField(default=False)),
                ('noted', fields.BooleanField(default=False)),
                ('callback', fields.ForeignKeyField('followups.Followup', source_field='callback_id', null=True, db_constraint=True, to_field='id', related_name='missed_calls', on_delete=OnDelete.SET_NULL)),
                ('callback_claimed', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'call_record', 'app': 'calls', 'unique_together': (('tenant', 'dedup_key'),), 'indexes': [Index(fields=['tenant_id', 'started_at']), Index(fields=['tenant_id', 'employee_id', 'started_at']), Index(fields=['tenant_id', 'number', 'started_at'])], 'pk_attr': 'id', 'table_description': 'One call between an employee and an outside number.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CallSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='call_settings', on_delete=OnDelete.CASCADE)),
                ('effective_secs', fields.IntField(default=60)),
                ('callback_minutes', fields.IntField(default=120)),
                ('own_numbers', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('webhook_secret', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'call_settings', 'app': 'calls', 'pk_attr': 'id', 'table_description': "What an admin set for a tenant's calls (the defaults without a row)."},
            bases=['Model'],
        ),
    ]
