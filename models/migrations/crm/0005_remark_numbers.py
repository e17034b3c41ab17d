from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0004_order_notes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='CustomerFollower',
            name='remark_numbers',
            field=fields.CharField(default='', max_length=255),
        ),
    ]
