from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_shared_pacing'), ('orders', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OrderRules',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='order_rules', on_delete=OnDelete.CASCADE)),
                ('allow_overpayment', fields.BooleanField(default=False)),
                ('terms_days', fields.IntField(default=30)),
                ('remind_days', fields.IntField(default=3)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_rules', 'app': 'orders', 'pk_attr': 'id', 'table_description': 'What an admin set for the orders of a tenant (``订单设置``), the defaults without a row.'},
            bases=['Model'],
        ),
    ]
