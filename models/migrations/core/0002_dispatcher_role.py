from tortoise import migrations
from tortoise.migrations import operations as ops
from models.tenants import Role
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Employee',
            name='role',
            field=fields.CharEnumField(default=Role.MEMBER, description='MEMBER: member\nDISPATCHER: dispatcher\nADMIN: admin', enum_type=Role, max_length=16),
        ),
    ]
