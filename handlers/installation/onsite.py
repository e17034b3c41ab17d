"""The installer's location message (check-in) and photos, on the app chat."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.filters import MsgTypeIs
from bot.dispatch.router import Router
from bot.installation.media import keep_photo
from bot.installation.numbers import tail
from bot.installation.onsite import check_in, job_on_site, job_to_check_in
from bot.installation.rules import rules_of
from bot.installation.workflow import Action, check, guard
from models.installation import InstallPhoto

router = Router(__name__, title="安装", module="installation")

BAD_LOCATION = "这条位置消息没有坐标，请重新发送位置。"
CHECKED_IN = (
    "已签到：安装单 {number}（{label}）{distance}。请发送现场照片（至少 {need} 张），"
    "完工后发送「完工 {tail} 说明」。"
)
DISTANCE = "，距安装地址约 {meters} 米"
NO_PHOTO_JOB = "你现在没有施工中的安装单，照片没有保存。请先到场发送位置签到。"
PHOTO_SAVED = "已收到安装单 {number} 的第 {count} 张照片。"
PHOTO_FAILED = "已收到安装单 {number} 的照片，下载暂时失败，稍后会自动重试。"


async def _checking_in(ctx: Context) -> bool:
    """A location is a check-in only from an installer with a dispatched job today; other
    locations and pictures are left to whoever else takes them."""
    if ctx.employee is None:
        return False
    now, tz = ctx.clock.now(), ctx.tenant.timezone
    return await job_to_check_in(ctx.tenant.id, ctx.employee.id, now, tz) is not None


async def _on_site(ctx: Context) -> bool:
    if ctx.employee is None or not ctx.update.fields.get("MediaId"):
        return False
    return await job_on_site(ctx.tenant.id, ctx.employee.id) is not None


@router.on(MsgTypeIs("location"), _checking_in)
async def location_check_in(ctx: Context) -> str | None:
    assert ctx.employee is not None
    now = ctx.clock.now()
    job = await job_to_check_in(ctx.tenant.id, ctx.employee.id, now, ctx.tenant.timezone)
    if job is None:
        return None  # checked in by a message a moment earlier
    fields = ctx.update.fields
    try:
        lat, lng = float(fields.get("Location_X", "")), float(fields.get("Location_Y", ""))
    except (TypeError, ValueError):
        return BAD_LOCATION
    target = check(job, Action.START)
    check_in(job, lat, lng, str(fields.get("Label", "")), now)
    guard(job, target, tail(job))
    await job.save()
    need = (await rules_of(ctx.tenant.id)).required_photos
    distance = (
        "" if job.checkin_distance_m is None else DISTANCE.format(meters=job.checkin_distance_m)
    )
    return CHECKED_IN.format(
        number=job.number,
        label=job.checkin_label or "位置",
        distance=distance,
        need=need,
        tail=tail(job),
    )


@router.on(MsgTypeIs("image"), _on_site)
async def site_photo(ctx: Context) -> str | None:
    assert ctx.employee is not None
    job = await job_on_site(ctx.tenant.id, ctx.employee.id)
    if job is None:
        return None
    media_id = str(ctx.update.fields.get("MediaId", ""))
    if not media_id:
        return None
    photo, _ = await InstallPhoto.get_or_create(
        job_id=job.id, media_id=media_id, defaults={"received_at": ctx.clock.now()}
    )
    kept = await keep_photo(ctx.deps.get("install_media"), ctx.tenant, photo)
    if not kept:
        return PHOTO_FAILED.format(number=job.number)
    count = await InstallPhoto.filter(job_id=job.id).exclude(stored_path="").count()
    return PHOTO_SAVED.format(number=job.number, count=count)
