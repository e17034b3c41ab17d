from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.inbox import InboxStatus
from models.outbox import OutboxStatus
from models.tenants import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Tenant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=32)),
                ('corp_id', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=128)),
                ('timezone', fields.CharField(default='Asia/Shanghai', max_length=64)),
                ('admins', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('agent_id', fields.IntField()),
                ('secret', fields.CharField(max_length=128)),
                ('token', fields.CharField(max_length=64)),
                ('encoding_aes_key', fields.CharField(max_length=43)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tenant', 'app': 'models', 'pk_attr': 'id', 'table_description': "An enterprise (corp) using the bot, with its self-built app's credentials."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConversationState',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='conversations', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.CharField(max_length=64)),
                ('state', fields.CharField(max_length=64)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'conversation_state', 'app': 'models', 'unique_together': (('tenant', 'user_id'),), 'pk_attr': 'id', 'table_description': 'Where a multi-step conversation with one person stands. It survives restarts, expires.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Employee',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='employees', on_delete=OnDelete.CASCADE)),
                ('userid', fields.CharField(max_length=64)),
                ('name', fields.CharField(default='', max_length=64)),
                ('role', fields.CharEnumField(default=Role.MEMBER, description='MEMBER: member\nADMIN: admin', enum_type=Role, max_length=16)),
                ('first_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'employee', 'app': 'models', 'unique_together': (('tenant', 'userid'),), 'pk_attr': 'id', 'table_description': 'A WeCom member who has talked to the bot or been named by an event.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InboxUpdate',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='inbox', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=255)),
                ('payload', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=InboxStatus.PENDING, description='PENDING: pending\nDONE: done\nFAILED: failed', enum_type=InboxStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(default='', unique=False)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('processed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inbox_update', 'app': 'models', 'unique_together': (('tenant', 'key'),), 'indexes': [Index(fields=['status', 'lease_until'])], 'pk_attr': 'id', 'table_description': 'Every accepted callback, stored before it is acknowledged.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('idempotency_key', fields.CharField(max_length=255)),
                ('channel', fields.CharField(max_length=16)),
                ('recipient', fields.CharField(max_length=255)),
                ('msg_type', fields.CharField(max_length=32)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=OutboxStatus.PENDING, description='PENDING: pending\nSENT: sent\nDEAD: dead', enum_type=OutboxStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'models', 'unique_together': (('tenant', 'idempotency_key'),), 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'A message the bot has decided to send, written in the same transaction as its cause.'},
            bases=['Model'],
        ),
    ]
