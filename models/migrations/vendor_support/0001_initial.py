from tortoise import migrations
from tortoise.migrations import operations as ops
from models.vendor_support import MessageAuthor, RequestStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_shared_pacing')]

    initial = True

    operations = [
        ops.CreateModel(
            name='SupportRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='support_requests', on_delete=OnDelete.CASCADE)),
                ('requester_userid', fields.CharField(max_length=64)),
                ('requester_name', fields.CharField(default='', max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=RequestStatus.OPEN, description='OPEN: open\nANSWERED: answered\nCLOSED: closed', enum_type=RequestStatus, max_length=16)),
                ('ticket_id', fields.IntField(null=True)),
                ('ticket_number', fields.CharField(default='', max_length=24)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('response_due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('first_responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('escalated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_reply', fields.TextField(default='', unique=False)),
                ('last_reply_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'vendor_support_request', 'app': 'vendor_support', 'indexes': [Index(fields=['status', 'escalated_at', 'response_due_at'])], 'pk_attr': 'id', 'table_description': 'One question to the provider, numbered ``KF`` + the id (KF0003).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SupportMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('request', fields.ForeignKeyField('vendor_support.SupportRequest', source_field='request_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('author', fields.CharEnumField(description='REQUESTER: requester\nOPERATOR: operator', enum_type=MessageAuthor, max_length=16)),
                ('userid', fields.CharField(max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'vendor_support_message', 'app': 'vendor_support', 'pk_attr': 'id', 'table_description': 'What was said on a request, by the requester or an operator, in order.'},
            bases=['Model'],
        ),
    ]
