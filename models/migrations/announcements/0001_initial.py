from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.announcements import AnnouncementStatus, AudienceKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_shared_pacing')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Announcement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=64)),
                ('body', fields.TextField(unique=False)),
                ('author', fields.CharField(max_length=160)),
                ('status', fields.CharEnumField(default=AnnouncementStatus.DRAFT, description='DRAFT: draft\nSCHEDULED: scheduled\nPUBLISHED: published\nREVOKED: revoked', enum_type=AnnouncementStatus, max_length=16)),
                ('audience', fields.CharEnumField(default=AudienceKind.ALL, description='ALL: all\nEDITION: edition\nMODULE: module\nTENANTS: tenants', enum_type=AudienceKind, max_length=16)),
                ('audience_values', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('publish_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('delivered', fields.BooleanField(default=False)),
                ('touched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcement', 'app': 'announcements', 'indexes': [Index(fields=['status', 'publish_at'])], 'pk_attr': 'id', 'table_description': 'One announcement, marked delivered once a sweep has gone through its audience.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AnnouncementDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('announcement', fields.ForeignKeyField('announcements.Announcement', source_field='announcement_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='announcement_deliveries', on_delete=OnDelete.CASCADE)),
                ('recipient', fields.CharField(max_length=64)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('acked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcement_delivery', 'app': 'announcements', 'unique_together': (('announcement', 'tenant', 'recipient'),), 'pk_attr': 'id', 'table_description': 'The claim of one card to one admin of one tenant.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AnnouncementRead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('announcement', fields.ForeignKeyField('announcements.Announcement', source_field='announcement_id', db_constraint=True, to_field='id', related_name='reads', on_delete=OnDelete.CASCADE)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='announcement_reads', on_delete=OnDelete.CASCADE)),
                ('userid', fields.CharField(max_length=64)),
                ('read_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcement_read', 'app': 'announcements', 'unique_together': (('announcement', 'tenant', 'userid'),), 'pk_attr': 'id', 'table_description': 'One member of one tenant has read one announcement.'},
            bases=['Model'],
        ),
    ]
