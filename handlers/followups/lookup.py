"""Which follow-up a command means: by its number (完成 3, 第2条, 3号), or by what people
call it (张总那个, 明天给张总打电话的提醒), with a numbered choice when several fit."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from bot.crm.book import employee_label
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.followups import store, wording
from bot.followups.listing import open_followups
from bot.followups.matching import key_of, newest_open, open_followups_described
from bot.nlu.numerals import to_int
from models.followups import Followup, FollowupStatus


class PickStep(StrEnum):
    PICK_FOLLOWUP = "followup_pick_followup"


NOT_FOUND = "没有编号为 {number} 的跟进。发送「我的待办」查看编号。"
NOT_YOURS = "跟进 #{number} 是 {owner} 的，只有他本人或管理员可以改。"
NOT_OPEN = "跟进 #{number} 已{status}，不能再改。"
STATUS_WORDS = {FollowupStatus.DONE: "完成", FollowupStatus.CANCELLED: "取消"}
SEVERAL = "有 {count} 条跟进对得上「{text}」，是哪一条？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
NONE_FITS = "没找到对得上「{text}」的跟进。你没完成的有："
NONE_OPEN = "没找到对得上「{text}」的跟进，你也没有没完成的跟进。"
USE_NUMBER = "请发送带编号的命令，例如：{example}"
OPEN_SHOWN = 9
_NUMBER = (
    r"(?:#\s*|第\s*)?([0-9]{1,9})\s*(?:号|条|个)?"
    r"|第\s*([一二两三四五六七八九十]{1,3})\s*(?:号|条|个)?"
)
_NUMBER_REST = re.compile(rf"^(?:{_NUMBER})\s*[，,：:]?\s*(.*)$", re.S)
_NUMBER_ONLY = re.compile(rf"^(?:{_NUMBER})\s*(?:任务|回访|事)?$")
# 刚才那条, 上一条, 最近那个提醒, or just 这个: the speaker's newest open follow-up.
_LATEST = re.compile(
    r"^(?:(?:刚才|刚刚|上一|最近|最新|最后)(?:的|那|一)?(?:条|个)?|这个|这条|那个|那条)"
    r"(?:任务|回访|事)?$"
)
# 孙经理那边黄了，第3条: a reason, then the number.
_AFTER_REASON = re.compile(r"^[^，,。]{1,24}[，,]\s*")


def _number_in(match: re.Match[str]) -> int | None:
    return int(match.group(1)) if match.group(1) else to_int(match.group(2))


def number_and_rest(args: str) -> tuple[int, str] | None:
    match = _NUMBER_REST.match(args.strip())
    if match is None or (number := _number_in(match)) is None:
        return None
    return number, match.group(3).strip()


async def own(ctx: Context, args: str, usage: str) -> tuple[Followup, str]:
    """The follow-up named by the number at the start of ``args``, if the speaker may change
    it, and the rest of the text."""
    found = number_and_rest(args)
    if found is None:
        raise UserFacingError(usage)
    return await own_number(ctx, found[0]), found[1]


async def own_number(ctx: Context, number: int) -> Followup:
    followup = await store.by_number(ctx.tenant.id, number)
    if followup is None:
        raise UserFacingError(NOT_FOUND.format(number=number))
    await followup.fetch_related("owner")
    mine = ctx.employee is not None and followup.owner_id == ctx.employee.id
    if not mine and not ctx.is_admin:
        raise UserFacingError(NOT_YOURS.format(number=number, owner=employee_label(followup.owner)))
    if followup.status is not FollowupStatus.OPEN:
        status = STATUS_WORDS[followup.status]
        raise UserFacingError(NOT_OPEN.format(number=number, status=status))
    return followup


def numbered(description: str) -> int | None:
    """3号那个 / 第2条 / 第六个待办 → the number; None for a description."""
    for text in (description, _AFTER_REASON.sub("", description, count=1)):
        match = _NUMBER_ONLY.match(key_of(text))
        if match is not None:
            return _number_in(match)
    return None


def latest(description: str) -> bool:
    """刚才那条 / 上一条 / 最近那个提醒 (after a reason, too)."""
    candidates = (description, _AFTER_REASON.sub("", description, count=1))
    return any(_LATEST.match(text.strip()) or _LATEST.match(key_of(text)) for text in candidates)


async def described(ctx: Context, description: str, example: str) -> list[Followup]:
    """The speaker's open follow-ups the description fits; none fitting is answered here
    with the open ones listed, so the caller only handles one or several."""
    assert ctx.employee is not None
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    if latest(description):
        found = await newest_open(ctx.tenant.id, ctx.employee.id)
    else:
        found = await open_followups_described(ctx.tenant.id, ctx.employee.id, description, now)
    if found:
        return found
    rows, _ = await open_followups(ctx.tenant.id, owner_id=ctx.employee.id)
    rows = rows[:OPEN_SHOWN]
    quoted = key_of(description) or description
    if not rows:
        raise UserFacingError(NONE_OPEN.format(text=quoted))
    lines = [NONE_FITS.format(text=quoted), *_lines(rows, ctx, now)]
    lines.append(USE_NUMBER.format(example=example.format(number=rows[0].number)))
    raise UserFacingError("\n".join(lines))


def _lines(rows: list[Followup], ctx: Context, now: datetime) -> list[str]:
    tz = ctx.tenant.timezone
    return [wording.line(f, tz, now, f.customer.display_name if f.customer else "") for f in rows]


async def offer_pick(ctx: Context, found: list[Followup], text: str, action: str, rest: str) -> str:
    assert ctx.conversation is not None
    shown = found[:OPEN_SHOWN]
    data = {"action": action, "ids": [f.id for f in shown], "rest": rest}
    await ctx.conversation.set(PickStep.PICK_FOLLOWUP, data)
    now = ctx.clock.now()
    lines = [SEVERAL.format(count=len(found), text=key_of(text) or text)]
    lines += [f"{i}. {line}" for i, line in enumerate(_lines(shown, ctx, now), start=1)]
    return "\n".join([*lines, PICK_HINT])
