"""Customer groups kept in step with change_external_chat callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.crm.book import add_note, customer_by_external
from bot.wecom.contacts import GroupChat
from models.crm.customers import NoteKind
from models.crm.groups import CustomerGroup, CustomerGroupEvent, GroupStatus, MemberChange

MEMBER_CHANGES = {"add_member": MemberChange.JOIN, "del_member": MemberChange.QUIT}
JOINED = "加入了客户群「{name}」"
QUIT = "退出了客户群「{name}」"


async def upsert_group(
    tenant_id: int, chat_id: str, chat: GroupChat | None, now: datetime
) -> CustomerGroup:
    values: dict[str, Any] = {"updated_at": now, "status": GroupStatus.ACTIVE}
    if chat is not None:
        values.update(
            name=chat.name[:128],
            owner_userid=chat.owner[:64],
            notice=chat.notice,
            member_count=len(chat.members),
        )
    group, created = await CustomerGroup.get_or_create(
        defaults={**values, "created_at": now}, tenant_id=tenant_id, chat_id=chat_id
    )
    if not created:
        await CustomerGroup.filter(id=group.id).update(**values)
        group.update_from_dict(values)
    return group


async def record_members(
    group: CustomerGroup, fields: Mapping[str, Any], happened_at: datetime
) -> int:
    """Join/quit history from an update callback; known customers get a timeline line."""
    change = MEMBER_CHANGES.get(str(fields.get("UpdateDetail", "")))
    if change is None:
        return 0
    scene_field = "JoinScene" if change is MemberChange.JOIN else "QuitScene"
    scene = fields.get(scene_field, 0)
    members = [str(m) for m in fields.get("MemChangeList", []) if m]
    for member_id in members:
        await CustomerGroupEvent.create(
            tenant_id=group.tenant_id,
            group_id=group.id,
            member_id=member_id[:64],
            change=change,
            scene=scene if isinstance(scene, int) else 0,
            happened_at=happened_at,
        )
        customer = await customer_by_external(group.tenant_id, member_id)
        if customer is not None:
            kind = NoteKind.GROUP_JOIN if change is MemberChange.JOIN else NoteKind.GROUP_QUIT
            text = (JOINED if change is MemberChange.JOIN else QUIT).format(name=group.name)
            await add_note(customer, kind, text, happened_at)
    return len(members)


async def dismiss_group(tenant_id: int, chat_id: str, now: datetime) -> None:
    await CustomerGroup.filter(tenant_id=tenant_id, chat_id=chat_id).update(
        status=GroupStatus.DISMISSED, updated_at=now
    )
