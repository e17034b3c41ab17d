"""The operator console's logins: one-time links sent in chat, and the browser sessions they
open. Only SHA-256 digests of the secrets are stored, so a copy of the database opens nothing.

A link is bound to one operator (``tenant_key`` and ``userid``), valid for minutes and used at
most once (``used_at`` is set by a conditional UPDATE). A session lasts hours.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ConsoleLink(Model):
    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)  # sha256 of the token, hex
    tenant_key = fields.CharField(max_length=32)
    userid = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "console_link"


class ConsoleSession(Model):
    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)  # sha256 of the cookie's value, hex
    tenant_key = fields.CharField(max_length=32)
    userid = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "console_session"
