from tortoise import migrations
from tortoise.migrations import operations as ops
from models.erp import ApprovalMode, PurchaseState
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('erp', '0004_purchase_returns'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('products', '0001_initial'), ('products', '0002_min_qty')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PurchaseRules',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.OneToOneField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='purchase_rules', on_delete=OnDelete.CASCADE)),
                ('approval', fields.CharEnumField(default=ApprovalMode.OFF, description='OFF: off\nALL: all\nOVER: over', enum_type=ApprovalMode, max_length=8)),
                ('over_fen', fields.BigIntField(default=0)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'erp_purchase_rules', 'app': 'erp', 'pk_attr': 'id', 'table_description': "A tenant's purchase approval setting (采购设置). Without a row, no approval."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='PurchaseOrder',
            name='state',
            field=fields.CharEnumField(default=PurchaseState.DRAFT, description='DRAFT: draft\nPENDING: pending\nCONFIRMED: confirmed\nPARTIAL: partial\nRECEIVED: received\nCANCELLED: cancelled', enum_type=PurchaseState, max_length=16),
        ),
        ops.AddField(
            model_name='PurchaseOrder',
            name='approved_by',
            field=fields.CharField(default='', max_length=64),
        ),
        ops.AddField(
            model_name='PurchaseOrder',
            name='submitted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
