from tortoise import migrations
from tortoise.migrations import operations as ops
from models.admin import AuditResult
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.CASCADE)),
                ('userid', fields.CharField(max_length=64)),
                ('channel', fields.CharField(max_length=16)),
                ('chat_type', fields.CharField(max_length=16)),
                ('chat_id', fields.CharField(default='', max_length=128)),
                ('command', fields.CharField(max_length=500)),
                ('result', fields.CharEnumField(description='OK: ok\nREFUSED: refused\nERROR: error', enum_type=AuditResult, max_length=16)),
                ('summary', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'admin_audit_entry', 'app': 'admin', 'indexes': [Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One admin or dispatcher command, written in the same transaction as its effect.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TenantPreferences',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='preferences', on_delete=OnDelete.CASCADE)),
                ('digest_minute', fields.SmallIntField(null=True)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'admin_tenant_preferences', 'app': 'admin', 'pk_attr': 'id', 'table_description': "What a tenant's admins set in chat (设置 …), one row per tenant, absent until then."},
            bases=['Model'],
        ),
    ]
