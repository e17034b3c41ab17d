from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.provider import OfferStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('provider', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProviderOffer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='provider_offers', on_delete=OnDelete.CASCADE)),
                ('operator', fields.CharField(max_length=100)),
                ('change', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('summary', fields.CharField(max_length=200)),
                ('rate', fields.IntField(null=True)),
                ('off_fen', fields.IntField(null=True)),
                ('list_fen', fields.BigIntField()),
                ('offered_fen', fields.BigIntField()),
                ('valid_until', fields.DateField()),
                ('status', fields.CharEnumField(default=OfferStatus.PROPOSED, description='PROPOSED: proposed\nACCEPTED: accepted\nDECLINED: declined\nEXPIRED: expired\nWITHDRAWN: withdrawn', enum_type=OfferStatus, max_length=16)),
                ('pending_key', fields.CharField(null=True, unique=True, max_length=200)),
                ('order_id', fields.IntField(null=True)),
                ('answered_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'provider_offer', 'app': 'provider', 'indexes': [Index(fields=['tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': "An operator's discounted offer to one client enterprise, and what became of it."},
            bases=['Model'],
        ),
    ]
