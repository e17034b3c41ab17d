from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='KfCursor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='kf_cursors', on_delete=OnDelete.CASCADE)),
                ('open_kfid', fields.CharField(max_length=64)),
                ('cursor', fields.CharField(default='', max_length=255)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'kf_cursor', 'app': 'kf', 'unique_together': (('tenant', 'open_kfid'),), 'pk_attr': 'id', 'table_description': 'The ``kf/sync_msg`` cursor of one kf account: the next read starts after it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KfWindow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='kf_windows', on_delete=OnDelete.CASCADE)),
                ('open_kfid', fields.CharField(max_length=64)),
                ('external_userid', fields.CharField(max_length=64)),
                ('last_customer_message_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sends_left', fields.SmallIntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'kf_window', 'app': 'kf', 'unique_together': (('tenant', 'open_kfid', 'external_userid'),), 'pk_attr': 'id', 'table_description': "One customer's send budget on one kf account."},
            bases=['Model'],
        ),
    ]
