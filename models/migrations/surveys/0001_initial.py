from tortoise import migrations
from tortoise.migrations import operations as ops
from models.surveys import SurveyChannel, SurveyKind, SurveyStatus, SurveyTrigger
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0001_customers'), ('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Survey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.SET_NULL)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', null=True, db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(default=SurveyKind.CSAT, description='CSAT: csat\nNPS: nps', enum_type=SurveyKind, max_length=8)),
                ('question', fields.CharField(max_length=255)),
                ('trigger', fields.CharEnumField(description='TICKET_RESOLVED: ticket_resolved\nFOLLOWUP_DONE: followup_done\nKF_SESSION_END: kf_session_end\nMANUAL: manual', enum_type=SurveyTrigger, max_length=24)),
                ('trigger_ref', fields.CharField(max_length=128)),
                ('channel', fields.CharEnumField(description='KF: kf\nPAGE: page\nAPP: app', enum_type=SurveyChannel, max_length=8)),
                ('recipient', fields.CharField(default='', max_length=255)),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('status', fields.CharEnumField(default=SurveyStatus.SENT, description='SENT: sent\nANSWERED: answered\nEXPIRED: expired\nCANCELLED: cancelled', enum_type=SurveyStatus, max_length=16)),
                ('score', fields.SmallIntField(null=True)),
                ('comment', fields.TextField(default='', unique=False)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('remind_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'survey', 'app': 'surveys', 'unique_together': (('tenant', 'trigger', 'trigger_ref'),), 'indexes': [Index(fields=['status', 'remind_at']), Index(fields=['status', 'expires_at']), Index(fields=['tenant_id', 'answered_at']), Index(fields=['tenant_id', 'sent_at'])], 'pk_attr': 'id', 'table_description': 'One question put to one customer, answered at most once.'},
            bases=['Model'],
        ),
    ]
