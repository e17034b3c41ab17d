from tortoise import migrations
from tortoise.migrations import operations as ops
from models.followups import RecurrenceKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('crm', '0001_customers'), ('followups', '0001_initial'), ('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RecurringRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='followup_rules', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('owner', fields.ForeignKeyField('models.Employee', source_field='owner_id', db_constraint=True, to_field='id', related_name='followup_rules', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='followup_rules', on_delete=OnDelete.SET_NULL)),
                ('content', fields.CharField(max_length=255)),
                ('kind', fields.CharEnumField(description='DAILY: daily\nWORKDAYS: workdays\nWEEKLY: weekly\nMONTHLY: monthly\nMONTH_END: month_end', enum_type=RecurrenceKind, max_length=16)),
                ('weekday', fields.SmallIntField(default=0)),
                ('day_of_month', fields.SmallIntField(default=0)),
                ('minute_of_day', fields.SmallIntField()),
                ('next_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('active', fields.BooleanField(default=True)),
                ('source_text', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('stopped_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'followup_rule', 'app': 'followups', 'unique_together': (('tenant', 'number'),), 'indexes': [Index(fields=['active', 'next_at']), Index(fields=['tenant_id', 'owner_id', 'active'])], 'pk_attr': 'id', 'table_description': 'A recurring reminder (每天 / 每个工作日 / 每周一 / 每月1号 / 每月最后一天).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Followup',
            name='rule',
            field=fields.ForeignKeyField('followups.RecurringRule', source_field='rule_id', null=True, db_constraint=True, to_field='id', related_name='occurrences', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddConstraint(
            model_name='Followup',
            constraint=UniqueConstraint(fields=('rule', 'due_at'), name=None),
        ),
    ]
