from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('installation', '0002_links_and_digests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InstallMaterial',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('installation.InstallJob', source_field='job_id', db_constraint=True, to_field='id', related_name='materials', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=60)),
                ('qty', fields.IntField()),
                ('unit', fields.CharField(default='', max_length=8)),
                ('product_id', fields.IntField(null=True)),
                ('warehouse', fields.CharField(default='', max_length=32)),
                ('posted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'install_material', 'app': 'installation', 'pk_attr': 'id', 'table_description': 'A material used on the job (网线2米), as the installer said it. With the ERP-lite module'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='InstallJob',
            name='revisit_of_id',
            field=fields.IntField(null=True, unique=True),
        ),
        ops.AddField(
            model_name='InstallJob',
            name='revisit_reason',
            field=fields.CharField(default='', max_length=500),
        ),
    ]
