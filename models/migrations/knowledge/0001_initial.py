from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Article',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='knowledge_articles', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('question', fields.CharField(max_length=255)),
                ('answer', fields.TextField(unique=False)),
                ('keywords', fields.CharField(default='', max_length=255)),
                ('category', fields.CharField(default='', max_length=32)),
                ('enabled', fields.BooleanField(default=True)),
                ('created_by', fields.CharField(default='', max_length=64)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_article', 'app': 'knowledge', 'unique_together': (('tenant', 'number'), ('tenant', 'question')), 'indexes': [Index(fields=['tenant_id', 'category'])], 'pk_attr': 'id', 'table_description': 'One question with its standard answer. Addressed in chat by its number (知识 12).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KnowledgeRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='knowledge_revisions', on_delete=OnDelete.CASCADE)),
                ('stamp', fields.CharField(max_length=32)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_revision', 'app': 'knowledge', 'unique_together': (('tenant',),), 'pk_attr': 'id', 'table_description': 'Changes with every article or synonym write, in the same transaction. A replica whose'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Synonym',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='knowledge_synonyms', on_delete=OnDelete.CASCADE)),
                ('word', fields.CharField(max_length=32)),
                ('synonyms', fields.CharField(max_length=500)),
                ('updated_by', fields.CharField(default='', max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_synonym', 'app': 'knowledge', 'unique_together': (('tenant', 'word'),), 'pk_attr': 'id', 'table_description': 'A word and the words that mean the same to this tenant (打印机 = 打印设备、复印机).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnansweredQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tenant', fields.ForeignKeyField('models.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name='knowledge_unanswered', on_delete=OnDelete.CASCADE)),
                ('normalized', fields.CharField(max_length=255)),
                ('channel', fields.CharField(max_length=16)),
                ('count', fields.IntField(default=1)),
                ('first_asked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_asked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_unanswered', 'app': 'knowledge', 'unique_together': (('tenant', 'normalized', 'channel'),), 'indexes': [Index(fields=['tenant_id', 'last_asked_at'])], 'pk_attr': 'id', 'table_description': 'A question no article answered, counted per channel it came in on: asking again adds'},
            bases=['Model'],
        ),
    ]
