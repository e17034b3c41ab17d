from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('calls', '0001_initial'), ('models', '0004_shared_pacing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CallDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='call_days', on_delete=OnDelete.CASCADE)),
                ('member_id', fields.IntField(default=0)),
                ('day', fields.DateField()),
                ('calls', fields.IntField(default=0)),
                ('connected', fields.IntField(default=0)),
                ('talk_secs', fields.IntField(default=0)),
                ('effective', fields.IntField(default=0)),
                ('effective_secs', fields.IntField(default=0)),
                ('first_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'call_day', 'app': 'calls', 'unique_together': (('tenant', 'member_id', 'day'),), 'indexes': [Index(fields=['tenant_id', 'day'])], 'pk_attr': 'id', 'table_description': "One employee's calls on one tenant-local day: a projection of ``call_record``."},
            bases=['Model'],
        ),
    ]
