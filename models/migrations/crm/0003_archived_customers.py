from tortoise import migrations
from tortoise.migrations import operations as ops
from models.crm.customers import NoteKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0001_customers'), ('crm', '0002_archive_consent'), ('models', '0001_initial'), ('models', '0002_dispatcher_role')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Customer',
            name='archived_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='CustomerNote',
            name='kind',
            field=fields.CharEnumField(description='CREATED: created\nADDED: added\nNOTE: note\nFOLLOWUP: followup\nWELCOME: welcome\nTAG: tag\nUNTAG: untag\nLOST: lost\nREMOVED: removed\nTRANSFER: transfer\nGROUP_JOIN: group_join\nGROUP_QUIT: group_quit\nARCHIVE: archive\nEDIT: edit\nDELETE: delete\nMERGE: merge', enum_type=NoteKind, max_length=16),
        ),
    ]
