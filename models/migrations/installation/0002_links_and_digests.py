from tortoise import migrations
from tortoise.migrations import operations as ops
from models.installation import LinkAnswer, LinkPurpose
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('installation', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InstallDigest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='install_digests', on_delete=OnDelete.CASCADE)),
                ('employee', fields.ForeignKeyField('models.Employee', source_field='employee_id', db_constraint=True, to_field='id', related_name='install_digests', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'install_digest', 'app': 'installation', 'unique_together': (('tenant', 'employee', 'day'),), 'pk_attr': 'id', 'table_description': "One installer's morning list for one tenant-local day, claimed once across replicas by"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InstallLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('installation.InstallJob', source_field='job_id', db_constraint=True, to_field='id', related_name='links', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='APPOINTMENT: appointment\nCOMPLETION: completion', enum_type=LinkPurpose, max_length=16)),
                ('version', fields.IntField()),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answer', fields.CharEnumField(null=True, description='CONFIRMED: confirmed\nRESCHEDULE: reschedule', enum_type=LinkAnswer, max_length=16)),
                ('note', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'install_link', 'app': 'installation', 'unique_together': (('job', 'purpose', 'version'),), 'pk_attr': 'id', 'table_description': "The customer's single-use link to the confirmation page (``/i/{token}``): one per job,"},
            bases=['Model'],
        ),
    ]
