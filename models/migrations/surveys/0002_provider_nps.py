from tortoise import migrations
from tortoise.migrations import operations as ops
from models.surveys import SurveyTrigger
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0001_customers'), ('crm', '0002_archive_consent'), ('crm', '0003_archived_customers'), ('crm', '0004_order_notes'), ('models', '0001_initial'), ('models', '0002_dispatcher_role'), ('models', '0003_lease_owners'), ('models', '0004_shared_pacing'), ('surveys', '0001_initial')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Survey',
            name='trigger',
            field=fields.CharEnumField(description='TICKET_RESOLVED: ticket_resolved\nFOLLOWUP_DONE: followup_done\nKF_SESSION_END: kf_session_end\nINSTALL_COMPLETED: install_completed\nMANUAL: manual\nPROVIDER_NPS: provider_nps', enum_type=SurveyTrigger, max_length=24),
        ),
    ]
