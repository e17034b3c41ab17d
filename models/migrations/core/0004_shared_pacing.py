from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_lease_owners')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PacerSend',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slot', fields.CharField(max_length=255)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'pacer_send', 'app': 'models', 'indexes': [Index(fields=['slot', 'sent_at'])], 'pk_attr': 'id', 'table_description': 'One send counted against a WeCom rate limit, kept for a minute.'},
            bases=['Model'],
        ),
    ]
