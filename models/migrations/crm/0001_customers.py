from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.crm.groups import GroupStatus, MemberChange
from models.crm.ops import SyncStatus, TransferKind, TransferStatus
from models.crm.customers import CustomerKind, FollowerStatus, NoteKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CorpTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='corp_tags', on_delete=OnDelete.CASCADE)),
                ('tag_id', fields.CharField(null=True, max_length=64)),
                ('group_id', fields.CharField(default='', max_length=64)),
                ('group_name', fields.CharField(default='', max_length=64)),
                ('name', fields.CharField(max_length=64)),
                ('order', fields.BigIntField(default=0)),
                ('deleted', fields.BooleanField(default=False)),
            ],
            options={'table': 'crm_corp_tag', 'app': 'crm', 'unique_together': (('tenant', 'tag_id'),), 'indexes': [Index(fields=['tenant_id', 'name'])], 'pk_attr': 'id', 'table_description': "A tag from WeCom's corp tag library (``tag_id`` set) or one kept only by the bot."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Customer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.CASCADE)),
                ('external_userid', fields.CharField(null=True, max_length=64)),
                ('kind', fields.IntEnumField(default=CustomerKind.OFFLINE, description='OFFLINE: 0\nWECHAT: 1\nWECOM: 2', enum_type=CustomerKind, generated=False)),
                ('name', fields.CharField(max_length=64)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('company', fields.CharField(default='', max_length=128)),
                ('source', fields.CharField(default='', max_length=64)),
                ('gender', fields.SmallIntField(default=0)),
                ('avatar', fields.CharField(default='', max_length=512)),
                ('owner', fields.ForeignKeyField('models.Employee', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='owned_customers', on_delete=OnDelete.SET_NULL)),
                ('value_tier', fields.CharField(default='D', max_length=1)),
                ('value_score', fields.SmallIntField(default=0)),
                ('value_reasons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('value_computed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_interaction_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('next_followup_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer', 'app': 'crm', 'unique_together': (('tenant', 'external_userid'),), 'indexes': [Index(fields=['tenant_id', 'name']), Index(fields=['tenant_id', 'phone']), Index(fields=['tenant_id', 'company']), Index(fields=['tenant_id', 'owner_id']), Index(fields=['tenant_id', 'value_computed_at'])], 'pk_attr': 'id', 'table_description': 'One customer of one tenant: a WeChat/WeCom external contact or someone typed in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerFollower',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_followers', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='followers', on_delete=OnDelete.CASCADE)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', db_constraint=True, to_field='id', related_name='followed_customers', on_delete=OnDelete.CASCADE)),
                ('remark', fields.CharField(default='', max_length=64)),
                ('description', fields.CharField(default='', max_length=255)),
                ('add_way', fields.SmallIntField(default=0)),
                ('state', fields.CharField(default='', max_length=64)),
                ('status', fields.CharEnumField(default=FollowerStatus.ACTIVE, description='ACTIVE: active\nLOST: lost\nREMOVED: removed\nTRANSFERRED: transferred', enum_type=FollowerStatus, max_length=16)),
                ('added_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('churn_reported_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_follower', 'app': 'crm', 'unique_together': (('customer', 'employee'),), 'indexes': [Index(fields=['tenant_id', 'employee_id', 'status']), Index(fields=['tenant_id', 'status', 'churn_reported_at'])], 'pk_attr': 'id', 'table_description': "An employee's relationship with a customer, as WeCom's follow_user describes it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_groups', on_delete=OnDelete.CASCADE)),
                ('chat_id', fields.CharField(max_length=64)),
                ('name', fields.CharField(default='', max_length=128)),
                ('owner_userid', fields.CharField(default='', max_length=64)),
                ('notice', fields.TextField(default='', unique=False)),
                ('member_count', fields.IntField(default=0)),
                ('status', fields.CharEnumField(default=GroupStatus.ACTIVE, description='ACTIVE: active\nDISMISSED: dismissed', enum_type=GroupStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_group', 'app': 'crm', 'unique_together': (('tenant', 'chat_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerGroupEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_group_events', on_delete=OnDelete.CASCADE)),
                ('group', fields.ForeignKeyField('crm.CustomerGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('member_id', fields.CharField(max_length=64)),
                ('change', fields.CharEnumField(description='JOIN: join\nQUIT: quit', enum_type=MemberChange, max_length=8)),
                ('scene', fields.SmallIntField(default=0)),
                ('happened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_group_event', 'app': 'crm', 'indexes': [Index(fields=['group_id', 'happened_at'])], 'pk_attr': 'id', 'table_description': "One member joining or leaving, with WeCom's JoinScene or QuitScene as ``scene``."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerNote',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_notes', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.CASCADE)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', null=True, db_constraint=True, to_field='id', related_name='customer_notes', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(description='CREATED: created\nADDED: added\nNOTE: note\nFOLLOWUP: followup\nWELCOME: welcome\nTAG: tag\nUNTAG: untag\nLOST: lost\nREMOVED: removed\nTRANSFER: transfer\nGROUP_JOIN: group_join\nGROUP_QUIT: group_quit', enum_type=NoteKind, max_length=16)),
                ('text', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_note', 'app': 'crm', 'indexes': [Index(fields=['customer_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One line of a customer's timeline: notes people write and things that happened."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerSyncChunk',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_sync_chunks', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('userids', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('cursor', fields.CharField(default='', max_length=255)),
                ('done', fields.BooleanField(default=False)),
            ],
            options={'table': 'crm_customer_sync_chunk', 'app': 'crm', 'unique_together': (('tenant', 'position'),), 'pk_attr': 'id', 'table_description': 'Up to 100 members paged together through batch/get_by_user. ``cursor`` is saved after'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerSyncRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_sync', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=SyncStatus.IDLE, description='IDLE: idle\nRUNNING: running', enum_type=SyncStatus, max_length=16)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('pages', fields.IntField(default=0)),
                ('customers', fields.IntField(default=0)),
            ],
            options={'table': 'crm_customer_sync_run', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'One row per tenant: who is syncing (a lease) and how the last run went.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_tags', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='tags', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('crm.CorpTag', source_field='tag_id', db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_tag', 'app': 'crm', 'unique_together': (('customer', 'tag'),), 'indexes': [Index(fields=['tenant_id', 'tag_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerTransfer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='customer_transfers', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='transfers', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='ON_JOB: on_job\nRESIGNED: resigned', enum_type=TransferKind, max_length=16)),
                ('handover_userid', fields.CharField(max_length=64)),
                ('takeover_userid', fields.CharField(max_length=64)),
                ('initiator_userid', fields.CharField(max_length=64)),
                ('status', fields.CharEnumField(default=TransferStatus.PENDING, description='PENDING: pending\nDONE: done\nFAILED: failed', enum_type=TransferStatus, max_length=16)),
                ('reason', fields.CharField(default='', max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('settled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_customer_transfer', 'app': 'crm', 'indexes': [Index(fields=['tenant_id', 'customer_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A handover asked of WeCom, settled by the callbacks that follow it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WelcomeTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='welcome_templates', on_delete=OnDelete.CASCADE)),
                ('state', fields.CharField(default='', max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'crm_welcome_template', 'app': 'crm', 'unique_together': (('tenant', 'state'),), 'pk_attr': 'id', 'table_description': 'The welcome text for customers who arrive through one contact way (``state``), the'},
            bases=['Model'],
        ),
    ]
