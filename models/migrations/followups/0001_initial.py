from tortoise import migrations
from tortoise.migrations import operations as ops
from models.followups import FollowupStatus, ReminderStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0001_customers'), ('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Followup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='followups', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='followups', on_delete=OnDelete.SET_NULL)),
                ('owner', fields.ForeignKeyField('models.Employee', source_field='owner_id', db_constraint=True, to_field='id', related_name='followups', on_delete=OnDelete.CASCADE)),
                ('content', fields.CharField(max_length=255)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=FollowupStatus.OPEN, description='OPEN: open\nDONE: done\nCANCELLED: cancelled', enum_type=FollowupStatus, max_length=16)),
                ('priority', fields.SmallIntField(default=0)),
                ('source_text', fields.CharField(default='', max_length=500)),
                ('result_note', fields.CharField(default='', max_length=500)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('remind_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reminder_status', fields.CharEnumField(default=ReminderStatus.PENDING, description='PENDING: pending\nSENDING: sending\nSENT: sent', enum_type=ReminderStatus, max_length=16)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('late', fields.BooleanField(default=False)),
                ('stage', fields.SmallIntField(default=0)),
            ],
            options={'table': 'followup', 'app': 'followups', 'unique_together': (('tenant', 'number'),), 'indexes': [Index(fields=['reminder_status', 'remind_at']), Index(fields=['tenant_id', 'owner_id', 'status', 'due_at']), Index(fields=['tenant_id', 'status', 'due_at'])], 'pk_attr': 'id', 'table_description': 'One follow-up of one employee, optionally about a customer.'},
            bases=['Model'],
        ),
    ]
