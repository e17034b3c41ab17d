"""The knowledge base (module knowledge): articles, a tenant's synonyms, the questions nobody
answered, and a revision stamp that tells every replica its cached search index is stale.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class Article(Model):
    """One question with its standard answer. Addressed in chat by its number (知识 12)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="knowledge_articles", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # counts per tenant from 1
    question = fields.CharField(max_length=255)
    answer = fields.TextField()
    keywords = fields.CharField(max_length=255, default="")  # joined with "、"
    category = fields.CharField(max_length=32, default="")
    enabled = fields.BooleanField(default=True)
    created_by = fields.CharField(max_length=64, default="")  # a userid, or "import"
    updated_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_article"
        unique_together = (("tenant", "number"), ("tenant", "question"))
        indexes = (("tenant_id", "category"),)


class Synonym(Model):
    """A word and the words that mean the same to this tenant (打印机 = 打印设备、复印机)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="knowledge_synonyms", on_delete=fields.CASCADE
    )
    word = fields.CharField(max_length=32)
    synonyms = fields.CharField(max_length=500)  # joined with "、"
    updated_by = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_synonym"
        unique_together = (("tenant", "word"),)


class UnansweredQuestion(Model):
    """A question no article answered, counted per channel it came in on: asking again adds
    to the count instead of adding a row."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="knowledge_unanswered", on_delete=fields.CASCADE
    )
    normalized = fields.CharField(max_length=255)
    channel = fields.CharField(max_length=16)
    count = fields.IntField(default=1)
    first_asked_at = fields.DatetimeField()
    last_asked_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_unanswered"
        unique_together = (("tenant", "normalized", "channel"),)
        indexes = (("tenant_id", "last_asked_at"),)


class KnowledgeRevision(Model):
    """Changes with every article or synonym write, in the same transaction. A replica whose
    cached index carries another stamp rebuilds it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="knowledge_revisions", on_delete=fields.CASCADE
    )
    stamp = fields.CharField(max_length=32)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_revision"
        unique_together = (("tenant",),)


__models__ = [Article, Synonym, UnansweredQuestion, KnowledgeRevision]
