from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.subscriptions import OrderKind, OrderStatus, SubscriptionStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='AuditLog',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='billing_audit', on_delete=OnDelete.CASCADE)),
                ('actor', fields.CharField(max_length=100)),
                ('action', fields.CharField(max_length=64)),
                ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'billing_audit_log', 'app': 'billing', 'indexes': [Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'Every change to a subscription, its seats or its orders: who, when, before, after.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='notices', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=191)),
                ('kind', fields.CharField(max_length=32)),
                ('recipients', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'billing_notice', 'app': 'billing', 'unique_together': (('tenant', 'key'),), 'indexes': [Index(fields=['kind', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One notice milestone, claimed by inserting its unique key.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Order',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='RENEWAL: renewal\nCHANGE: change', enum_type=OrderKind, max_length=16)),
                ('status', fields.CharEnumField(default=OrderStatus.QUOTE, description='QUOTE: quote\nPENDING_PAYMENT: pending_payment\nPAID: paid\nAPPLIED: applied\nCANCELLED: cancelled\nEXPIRED: expired', enum_type=OrderStatus, max_length=16)),
                ('summary', fields.CharField(max_length=200)),
                ('request', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('basis', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('total', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('notes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('effective_on', fields.DateField()),
                ('ends_on', fields.DateField(null=True)),
                ('created_by', fields.CharField(max_length=80)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_by', fields.CharField(default='', max_length=100)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('applied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'billing_order', 'app': 'billing', 'indexes': [Index(fields=['tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'Everything a payment needs: who, what, the quoted lines and total, the plan it was'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('billing.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('description', fields.CharField(max_length=300)),
                ('quantity', fields.IntField()),
                ('unit_price', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('amount', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('code', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'billing_order_line', 'app': 'billing', 'unique_together': (('order', 'position'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SeatAssignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='seat_assignments', on_delete=OnDelete.CASCADE)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', db_constraint=True, to_field='id', related_name='seat_assignments', on_delete=OnDelete.CASCADE)),
                ('assigned_by', fields.CharField(max_length=80)),
                ('assigned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'seat_assignment', 'app': 'billing', 'unique_together': (('tenant', 'employee'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Subscription',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='subscription', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='TRIAL: trial\nACTIVE: active\nGRACE: grace\nSUSPENDED: suspended\nCANCELLED: cancelled', enum_type=SubscriptionStatus, max_length=16)),
                ('is_trial', fields.BooleanField(default=True)),
                ('edition', fields.CharField(max_length=32)),
                ('modules', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('bundles', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('seats', fields.IntField()),
                ('period', fields.CharField(max_length=32)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('anchor_day', fields.IntField(null=True)),
                ('prepaid_periods', fields.IntField(default=0)),
                ('pending', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('highest_paid_seats', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'subscription', 'app': 'billing', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
