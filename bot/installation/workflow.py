"""The job's state machine, with OCA Field Service's stage guards:

    待排期 ──安排──▶ 已派工 ──签到──▶ 施工中 ──完工──▶ 已完工 ──确认──▶ 客户已确认
       └──────────────┴────────────┴──取消──▶ 已取消

安排 needs an installer and a window; 签到 an actual start; 完工 an actual end, a resolution,
the check-in and the tenant's number of stored photos. ``check`` refuses anything else with
the job's state and what is possible there (the work orders' contract).
"""

from __future__ import annotations

from enum import StrEnum

from bot.dispatch.errors import UserFacingError
from models.installation import InstallJob
from models.installation import JobState as S


class Action(StrEnum):
    DISPATCH = "dispatch"
    RESCHEDULE = "reschedule"
    START = "start"
    COMPLETE = "complete"
    CONFIRM = "confirm"
    CANCEL = "cancel"


ACTION_WORDS = {
    Action.DISPATCH: "安排",
    Action.RESCHEDULE: "改约",
    Action.START: "签到",
    Action.COMPLETE: "完工",
    Action.CONFIRM: "确认安装",
    Action.CANCEL: "取消安装",
}
STATE_WORDS = {
    S.PENDING: "待排期",
    S.DISPATCHED: "已派工",
    S.STARTED: "施工中",
    S.COMPLETED: "已完工",
    S.CONFIRMED: "客户已确认",
    S.CANCELLED: "已取消",
}
_CANCEL = Action.CANCEL
TRANSITIONS: dict[S, dict[Action, S]] = {
    S.PENDING: {Action.DISPATCH: S.DISPATCHED, Action.RESCHEDULE: S.PENDING, _CANCEL: S.CANCELLED},
    S.DISPATCHED: {
        Action.DISPATCH: S.DISPATCHED,
        Action.RESCHEDULE: S.DISPATCHED,
        Action.START: S.STARTED,
        _CANCEL: S.CANCELLED,
    },
    S.STARTED: {Action.COMPLETE: S.COMPLETED, _CANCEL: S.CANCELLED},
    S.COMPLETED: {Action.CONFIRM: S.CONFIRMED},
    S.CONFIRMED: {},
    S.CANCELLED: {},
}
ILLEGAL = "安装单 {number} 当前状态：{state}，可以：{possible}"
NOTHING_POSSIBLE = "无（已结束）"
NEEDS_INSTALLER = "安装单 {number} 还没有安装师傅，不能派工。"
NEEDS_WINDOW = "安装单 {number} 还没有安装时间，请先「改约 {tail} 时间」。"
NEEDS_START = "安装单 {number} 还没有签到（实际开始时间），请安装师傅到场后发送位置签到。"
NEEDS_END = "安装单 {number} 缺少完工时间或完工说明，请按这个格式写：完工 {tail} 已装好测试正常"
NEEDS_PHOTOS = (
    "安装单 {number} 需要至少 {need} 张现场照片才能完工，已收到 {have} 张。请先发送照片。"
)


def possible_words(state: S) -> str:
    words = [ACTION_WORDS[a] for a in TRANSITIONS[state]]
    return "、".join(words) if words else NOTHING_POSSIBLE


def check(job: InstallJob, action: Action) -> S:
    """The state ``action`` leads to, or a refusal naming the state and what is possible."""
    target = TRANSITIONS[job.state].get(action)
    if target is None:
        raise UserFacingError(
            ILLEGAL.format(
                number=job.number, state=STATE_WORDS[job.state], possible=possible_words(job.state)
            )
        )
    return target


def guard(job: InstallJob, target: S, tail: str, photos: int = 0, need: int = 0) -> None:
    """The fields a stage needs, checked on the row as it would be saved."""
    number = job.number
    if target is S.DISPATCHED:
        if job.installer_id is None:
            raise UserFacingError(NEEDS_INSTALLER.format(number=number))
        if job.window_start is None or job.window_end is None:
            raise UserFacingError(NEEDS_WINDOW.format(number=number, tail=tail))
    if target is S.STARTED and job.started_at is None:
        raise UserFacingError(NEEDS_START.format(number=number))
    if target is S.COMPLETED:
        if job.started_at is None:
            raise UserFacingError(NEEDS_START.format(number=number))
        if job.ended_at is None or not job.resolution.strip():
            raise UserFacingError(NEEDS_END.format(number=number, tail=tail))
        if photos < need:
            raise UserFacingError(NEEDS_PHOTOS.format(number=number, need=need, have=photos))
