from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.people import MemberStatus, SyncStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Department',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='departments', on_delete=OnDelete.CASCADE)),
                ('dept_id', fields.BigIntField()),
                ('name', fields.CharField(default='', max_length=64)),
                ('parent_id', fields.BigIntField(default=0)),
                ('order', fields.BigIntField(default=0)),
                ('removed', fields.BooleanField(default=False)),
                ('seen_run', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'people_department', 'app': 'people', 'unique_together': (('tenant', 'dept_id'),), 'pk_attr': 'id', 'table_description': 'A department the app can see, ``removed`` once WeCom deleted or hid it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DirectoryMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='directory_members', on_delete=OnDelete.CASCADE)),
                ('userid', fields.CharField(max_length=64)),
                ('name', fields.CharField(default='', max_length=64)),
                ('alias', fields.CharField(default='', max_length=64)),
                ('position', fields.CharField(default='', max_length=128)),
                ('departments', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=MemberStatus.ACTIVE, description='ACTIVE: active\nLEFT: left', enum_type=MemberStatus, max_length=8)),
                ('detailed', fields.BooleanField(default=False)),
                ('seen_run', fields.IntField(default=0)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'people_member', 'app': 'people', 'unique_together': (('tenant', 'userid'),), 'pk_attr': 'id', 'table_description': 'A member of the address book, whether or not they ever talked to the bot.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DirectorySync',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='directory_sync', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=SyncStatus.IDLE, description='IDLE: idle\nRUNNING: running', enum_type=SyncStatus, max_length=8)),
                ('run', fields.IntField(default=0)),
                ('position', fields.IntField(default=0)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('members', fields.IntField(default=0)),
                ('departments', fields.IntField(default=0)),
                ('error', fields.CharField(default='', max_length=255)),
            ],
            options={'table': 'people_sync', 'app': 'people', 'pk_attr': 'id', 'table_description': 'One row per tenant: the lease that keeps two replicas from syncing it at once, and'},
            bases=['Model'],
        ),
    ]
