from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('vendor_support', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProviderSurvey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey_id', fields.IntField(unique=True)),
                ('tenant_id', fields.IntField()),
                ('quarter', fields.CharField(max_length=8)),
                ('desk_tenant_id', fields.IntField()),
                ('operators', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'vendor_support_survey', 'app': 'vendor_support', 'indexes': [Index(fields=['quarter', 'tenant_id'])], 'pk_attr': 'id', 'table_description': "The provider's quarterly NPS question to one client admin: the survey capability's"},
            bases=['Model'],
        ),
    ]
