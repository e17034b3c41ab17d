from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.tickets import TicketPriority, TicketStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0002_archive_consent'), ('models', '0002_dispatcher_role')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=24)),
                ('day', fields.DateField()),
                ('seq', fields.IntField()),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=100)),
                ('description', fields.TextField(default='', unique=False)),
                ('priority', fields.CharEnumField(default=TicketPriority.NORMAL, description='LOW: low\nNORMAL: normal\nHIGH: high\nURGENT: urgent', enum_type=TicketPriority, max_length=16)),
                ('category', fields.CharField(default='', max_length=32)),
                ('status', fields.CharEnumField(default=TicketStatus.NEW, description='NEW: new\nASSIGNED: assigned\nIN_PROGRESS: in_progress\nPENDING_CUSTOMER: pending_customer\nRESOLVED: resolved\nCLOSED: closed', enum_type=TicketStatus, max_length=20)),
                ('assignee', fields.ForeignKeyField('models.Employee', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='assigned_tickets', on_delete=OnDelete.SET_NULL)),
                ('creator', fields.ForeignKeyField('models.Employee', source_field='creator_id', null=True, db_constraint=True, to_field='id', related_name='created_tickets', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('first_responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('response_due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('response_warn_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('resolution_due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('resolution_warn_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('paused_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paused_seconds', fields.IntField(default=0)),
                ('response_warned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('response_breached_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolution_warned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolution_breached_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('response_seconds', fields.IntField(null=True)),
                ('resolution_seconds', fields.IntField(null=True)),
                ('response_met', fields.BooleanField(null=True)),
                ('resolution_met', fields.BooleanField(null=True)),
            ],
            options={'table': 'ticket', 'app': 'tickets', 'unique_together': (('tenant', 'number'), ('tenant', 'day', 'seq')), 'indexes': [Index(fields=['tenant_id', 'assignee_id', 'status']), Index(fields=['tenant_id', 'status', 'assignee_id']), Index(fields=['tenant_id', 'seq', 'day']), Index(fields=['tenant_id', 'created_at', 'response_seconds', 'response_met']), Index(fields=['tenant_id', 'resolved_at', 'assignee_id', 'resolution_seconds', 'resolution_met']), Index(fields=['status', 'response_warn_at']), Index(fields=['status', 'resolution_warn_at'])], 'pk_attr': 'id', 'table_description': 'One work order of one tenant, optionally about a customer (internal ones have none).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketComment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='ticket_comments', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Employee', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='ticket_comments', on_delete=OnDelete.SET_NULL)),
                ('internal', fields.BooleanField(default=False)),
                ('text', fields.TextField(unique=False)),
                ('attachments', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_comment', 'app': 'tickets', 'indexes': [Index(fields=['ticket_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A reply the customer may see (``internal`` False) or an internal note.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='ticket_events', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('actor', fields.ForeignKeyField('models.Employee', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='ticket_events', on_delete=OnDelete.SET_NULL)),
                ('action', fields.CharField(max_length=16)),
                ('from_status', fields.CharField(default='', max_length=20)),
                ('to_status', fields.CharField(default='', max_length=20)),
                ('detail', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_event', 'app': 'tickets', 'indexes': [Index(fields=['ticket_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One line of a ticket's history: who did what when, and the status it moved between."},
            bases=['Model'],
        ),
    ]
