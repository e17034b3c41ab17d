from tortoise import migrations
from tortoise.migrations import operations as ops
from models.orders import PendingBillReason
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0004_order_notes'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('orders', '0002_order_rules'), ('products', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExternalPaySync',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='externalpay_sync', on_delete=OnDelete.CASCADE)),
                ('synced_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('window_begin', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('target_end', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cursor', fields.CharField(default='', max_length=256)),
                ('blocked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(default='', max_length=200)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_externalpay_sync', 'app': 'orders', 'pk_attr': 'id', 'table_description': "Where a tenant's 对外收款 sync stands: everything paid before ``synced_until`` is in, and a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PendingBill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='pending_bills', on_delete=OnDelete.CASCADE)),
                ('transaction_id', fields.CharField(max_length=64)),
                ('out_trade_no', fields.CharField(default='', max_length=64)),
                ('external_userid', fields.CharField(default='', max_length=64)),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='pending_bills', on_delete=OnDelete.SET_NULL)),
                ('payee_userid', fields.CharField(default='', max_length=64)),
                ('amount_fen', fields.BigIntField()),
                ('refunded_fen', fields.BigIntField(default=0)),
                ('remark', fields.CharField(default='', max_length=200)),
                ('reason', fields.CharEnumField(description='UNKNOWN_PAYER: unknown_payer\nNO_ORDER: no_order\nSEVERAL_ORDERS: several_orders', enum_type=PendingBillReason, max_length=16)),
                ('paid_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_pending_bill', 'app': 'orders', 'unique_together': (('tenant', 'transaction_id'),), 'indexes': [Index(fields=['tenant_id', 'paid_at'])], 'pk_attr': 'id', 'table_description': 'A paid 对外收款 bill the sync could not tie to one order: it waits for the owner'},
            bases=['Model'],
        ),
    ]
