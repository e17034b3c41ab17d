"""Customer tags: the corp tag library mirrored from WeCom, and tagging customers.

A tag typed in chat that WeCom does not know yet is added to the library (group
``BOT_TAG_GROUP``) so it shows in the WeCom client too; when WeCom refuses (the app may not
manage tags), the tag is kept here only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import CorpTagInfo, add_corp_tag
from models.crm.customers import Customer, CustomerFollower, FollowerStatus
from models.crm.tags import CorpTag, CustomerTag
from models.tenants import Employee

logger = logging.getLogger(__name__)

BOT_TAG_GROUP = "机器人标签"
MAX_TAG_LENGTH = 30  # WeCom's limit on a tag name


async def sync_corp_tags(tenant_id: int, tags: Sequence[CorpTagInfo]) -> int:
    """Mirror WeCom's library: upsert every tag, mark the ones WeCom no longer has deleted."""
    for tag in tags:
        await CorpTag.update_or_create(
            defaults={
                "name": tag.name[:64],
                "group_id": tag.group_id,
                "group_name": tag.group_name[:64],
                "order": tag.order,
                "deleted": False,
            },
            tenant_id=tenant_id,
            tag_id=tag.tag_id,
        )
    known = [tag.tag_id for tag in tags]
    await (
        CorpTag.filter(tenant_id=tenant_id, tag_id__isnull=False)
        .exclude(tag_id__in=known)
        .update(deleted=True)
    )
    return len(tags)


async def wecom_tag_id(client: WeComClient, tenant: TenantInfo, name: str) -> str | None:
    """The WeCom id of the tag called ``name``, adding it to the library if needed; None when
    WeCom will not have it."""
    known = await CorpTag.filter(
        tenant_id=tenant.id, name=name, deleted=False, tag_id__isnull=False
    ).first()
    if known is not None:
        return known.tag_id
    try:
        created = await add_corp_tag(client, tenant.credentials, BOT_TAG_GROUP, name)
    except WeComAPIError as exc:
        logger.warning("tag %r kept local to tenant %s: %s", name, tenant.key, exc)
        return None
    await sync_corp_tags_one(tenant.id, created)
    return created.tag_id


async def sync_corp_tags_one(tenant_id: int, tag: CorpTagInfo) -> None:
    # API changes trigger no change_external_tag callback, so the mirror is updated here.
    await CorpTag.update_or_create(
        defaults={"name": tag.name, "group_id": tag.group_id, "group_name": tag.group_name},
        tenant_id=tenant_id,
        tag_id=tag.tag_id,
    )


async def local_tag(tenant_id: int, name: str) -> CorpTag:
    """The tag called ``name``: WeCom's if it has one, else a local one (created if new)."""
    tags = await CorpTag.filter(tenant_id=tenant_id, name=name, deleted=False).order_by("id")
    with_id = [t for t in tags if t.tag_id]
    if with_id or tags:
        return (with_id or tags)[0]
    return await CorpTag.create(tenant_id=tenant_id, name=name, group_name=BOT_TAG_GROUP)


async def tag_customer(customer: Customer, tag: CorpTag, now: datetime) -> bool:
    """True when the customer did not have the tag yet."""
    _, created = await CustomerTag.get_or_create(
        defaults={"tenant_id": customer.tenant_id, "created_at": now},
        customer_id=customer.id,
        tag_id=tag.id,
    )
    return created


async def untag_customer(customer: Customer, name: str) -> bool:
    tag_ids = await CorpTag.filter(tenant_id=customer.tenant_id, name=name).values_list(
        "id", flat=True
    )
    removed = await CustomerTag.filter(customer_id=customer.id, tag_id__in=tag_ids).delete()
    return removed > 0


async def follower_for_tags(customer: Customer, employee: Employee | None) -> str | None:
    """Whose relationship mark_tag edits: the employee's own if they follow the customer,
    else the owner's or any active one."""
    followers = await CustomerFollower.filter(
        customer_id=customer.id, status=FollowerStatus.ACTIVE
    ).prefetch_related("employee")
    by_id = {f.employee_id: f.employee.userid for f in followers}
    for candidate in (employee.id if employee else None, customer.owner_id):
        if candidate in by_id:
            return by_id[candidate]
    return next(iter(by_id.values()), None)
