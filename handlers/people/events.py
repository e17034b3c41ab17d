"""The address book's changes (change_contact) as WeCom reports them to the app: members
created, edited (renamed userids included) and deleted, departments created, edited and
deleted. WeCom only reports what is in the app's visible range; the nightly sync settles
anything a missed callback left behind.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.notices import notice_replies
from bot.people.leaving import leaving_notice
from bot.people.store import (
    MemberFacts,
    mark_left,
    remove_department,
    rename_member,
    upsert_department,
    upsert_member,
)

router = Router(__name__)


def _field(ctx: Context, name: str) -> str | None:
    value = ctx.update.fields.get(name)
    return None if value is None else str(value)


def _departments(raw: str | None) -> list[int] | None:
    if raw is None:
        return None
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


def _int(raw: str | None) -> int | None:
    return int(raw) if raw is not None and raw.strip().isdigit() else None


@router.event("change_contact", "create_user", "update_user")
async def member_changed(ctx: Context) -> None:
    userid = ctx.update.user_id
    if not userid:
        return
    new_userid = _field(ctx, "NewUserID")
    if new_userid and new_userid != userid:
        await rename_member(ctx.tenant.id, userid, new_userid)
        userid = new_userid
    facts = MemberFacts(
        userid=userid,
        name=_field(ctx, "Name"),
        departments=_departments(_field(ctx, "Department")),
        alias=_field(ctx, "Alias"),
        position=_field(ctx, "Position"),
    )
    await upsert_member(ctx.tenant.id, facts, ctx.clock.now())
    segmenter = ctx.deps.get("segmenter")
    if segmenter is not None and facts.name:
        segmenter.add_names([facts.name])


@router.event("change_contact", "delete_user")
async def member_deleted(ctx: Context) -> None:
    userid = ctx.update.user_id
    if not userid:
        return
    member = await mark_left(ctx.tenant.id, userid, ctx.clock.now())
    if member is None:
        return
    text = await leaving_notice(ctx.tenant, member, ctx.clock.now())
    if text:
        ctx.replies.extend(await notice_replies(ctx.tenant, text))


@router.event("change_contact", "create_party", "update_party")
async def department_changed(ctx: Context) -> None:
    dept_id = _int(_field(ctx, "Id"))
    if dept_id is None:
        return
    await upsert_department(
        ctx.tenant.id,
        dept_id,
        ctx.clock.now(),
        name=_field(ctx, "Name"),
        parent_id=_int(_field(ctx, "ParentId")),
        order=_int(_field(ctx, "Order")),
    )


@router.event("change_contact", "delete_party")
async def department_deleted(ctx: Context) -> None:
    dept_id = _int(_field(ctx, "Id"))
    if dept_id is not None:
        await remove_department(ctx.tenant.id, dept_id, ctx.clock.now())
