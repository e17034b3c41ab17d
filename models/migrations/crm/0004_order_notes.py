from tortoise import migrations
from tortoise.migrations import operations as ops
from models.crm.customers import NoteKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0003_archived_customers')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='CustomerNote',
            name='kind',
            field=fields.CharEnumField(description='CREATED: created\nADDED: added\nNOTE: note\nFOLLOWUP: followup\nWELCOME: welcome\nTAG: tag\nUNTAG: untag\nLOST: lost\nREMOVED: removed\nTRANSFER: transfer\nGROUP_JOIN: group_join\nGROUP_QUIT: group_quit\nARCHIVE: archive\nEDIT: edit\nDELETE: delete\nMERGE: merge\nORDER: order', enum_type=NoteKind, max_length=16),
        ),
    ]
