from tortoise import migrations
from tortoise.migrations import operations as ops
from models.installation import JobState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0004_order_notes'), ('models', '0004_shared_pacing')]

    initial = True

    operations = [
        ops.CreateModel(
            name='InstallJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='install_jobs', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=24)),
                ('day', fields.DateField()),
                ('seq', fields.IntField()),
                ('customer', fields.ForeignKeyField('crm.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='install_jobs', on_delete=OnDelete.RESTRICT)),
                ('order_id', fields.IntField(null=True)),
                ('address', fields.CharField(default='', max_length=200)),
                ('items', fields.CharField(default='', max_length=500)),
                ('contact', fields.CharField(default='', max_length=100)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('window_start', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('window_end', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('installer', fields.ForeignKeyField('models.Employee', source_field='installer_id', null=True, db_constraint=True, to_field='id', related_name='install_jobs', on_delete=OnDelete.SET_NULL)),
                ('creator', fields.ForeignKeyField('models.Employee', source_field='creator_id', null=True, db_constraint=True, to_field='id', related_name='booked_installs', on_delete=OnDelete.SET_NULL)),
                ('state', fields.CharEnumField(default=JobState.PENDING, description='PENDING: pending\nDISPATCHED: dispatched\nSTARTED: started\nCOMPLETED: completed\nCONFIRMED: confirmed\nCANCELLED: cancelled', enum_type=JobState, max_length=16)),
                ('version', fields.IntField(default=0)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checkin_latitude', fields.FloatField(null=True)),
                ('checkin_longitude', fields.FloatField(null=True)),
                ('checkin_label', fields.CharField(default='', max_length=200)),
                ('checkin_distance_m', fields.IntField(null=True)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolution', fields.CharField(default='', max_length=500)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(default='', max_length=200)),
                ('schedule_id', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'install_job', 'app': 'installation', 'unique_together': (('tenant', 'number'), ('tenant', 'day', 'seq')), 'indexes': [Index(fields=['tenant_id', 'seq', 'day']), Index(fields=['tenant_id', 'installer_id', 'window_start']), Index(fields=['tenant_id', 'state', 'window_start'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InstallPhoto',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('installation.InstallJob', source_field='job_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('media_id', fields.CharField(max_length=200)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('stored_path', fields.CharField(default='', max_length=300)),
                ('sha256', fields.CharField(default='', max_length=64)),
                ('size', fields.IntField(default=0)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(default='', max_length=200)),
                ('alerted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'install_photo', 'app': 'installation', 'unique_together': (('job', 'media_id'),), 'pk_attr': 'id', 'table_description': 'A photo sent on site. WeCom keeps a media id for three days, so the bytes are fetched'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InstallReminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('installation.InstallJob', source_field='job_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('version', fields.IntField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'install_reminder', 'app': 'installation', 'unique_together': (('job', 'kind', 'version'),), 'pk_attr': 'id', 'table_description': "One reminder claimed for one version of a job's appointment: the unique key makes it"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InstallSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='install_settings', on_delete=OnDelete.CASCADE)),
                ('window_minutes', fields.IntField(default=120)),
                ('travel_minutes', fields.IntField(default=30)),
                ('required_photos', fields.IntField(default=2)),
            ],
            options={'table': 'install_settings', 'app': 'installation', 'pk_attr': 'id', 'table_description': 'What a tenant set with 安装设置 (a tenant without a row has the defaults).'},
            bases=['Model'],
        ),
    ]
