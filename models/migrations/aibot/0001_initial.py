from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='TenantAibot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='aibot', on_delete=OnDelete.CASCADE)),
                ('token', fields.CharField(default='', max_length=64)),
                ('encoding_aes_key', fields.CharField(default='', max_length=43)),
                ('bot_id', fields.CharField(default='', max_length=64)),
                ('name', fields.CharField(default='', max_length=64)),
                ('admin_chat_id', fields.CharField(default='', max_length=64)),
                ('webhook_key', fields.CharField(default='', max_length=128)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tenant_aibot', 'app': 'aibot', 'pk_attr': 'id', 'table_description': 'One row per tenant that configured ``[tenants.aibot]``, kept in step with the config.'},
            bases=['Model'],
        ),
    ]
