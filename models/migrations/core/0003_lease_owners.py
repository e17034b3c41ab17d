from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_dispatcher_role')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BotInstance',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bot_instance', 'app': 'models', 'pk_attr': 'name', 'table_description': 'A running ``scrm-bot serve`` process, by the name its leases carry.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='InboxUpdate',
            name='lease_owner',
            field=fields.CharField(default='', max_length=64),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='lease_owner',
            field=fields.CharField(default='', max_length=64),
        ),
    ]
