"""How a job reads in chat: its card, one line in a list, and an installer's day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.installation.workflow import STATE_WORDS, possible_words
from models.crm.customers import Customer
from models.installation import InstallJob, JobState
from models.tenants import Employee

WEEKDAYS = "一二三四五六日"
NO_TIME = "未定时间"
NOBODY = "未派工"


def person(employee: Employee | None) -> str:
    if employee is None:
        return NOBODY
    return employee.name or employee.userid


def window_words(job: InstallJob, tz: tzinfo) -> str:
    """11月26日（周四）14:00-16:00"""
    if job.window_start is None or job.window_end is None:
        return NO_TIME
    start, end = job.window_start.astimezone(tz), job.window_end.astimezone(tz)
    day = f"{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）"
    return f"{day}{start:%H:%M}-{end:%H:%M}"


def hours_words(job: InstallJob, tz: tzinfo) -> str:
    """14:00-16:00"""
    if job.window_start is None or job.window_end is None:
        return NO_TIME
    return f"{job.window_start.astimezone(tz):%H:%M}-{job.window_end.astimezone(tz):%H:%M}"


def clock_words(when: datetime, tz: tzinfo) -> str:
    local = when.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def card(
    job: InstallJob,
    customer: Customer,
    installer: Employee | None,
    tz: tzinfo,
    extra: Sequence[str] = (),
) -> str:
    """``extra``: lines from other tables (materials, a follow-up visit), before 可以."""
    lines = [
        f"安装单 {job.number}（{STATE_WORDS[job.state]}）",
        f"客户：{customer.display_name}",
        f"时间：{window_words(job, tz)}",
        f"安装师傅：{person(installer)}",
    ]
    if job.items:
        lines.append(f"安装内容：{job.items}")
    if job.address:
        lines.append(f"地址：{job.address}")
    if job.contact:
        lines.append(f"联系人：{job.contact}")
    lines += _progress(job, tz)
    lines += extra
    lines.append(f"可以：{possible_words(job.state)}")
    return "\n".join(lines)


def _progress(job: InstallJob, tz: tzinfo) -> list[str]:
    lines = []
    if job.started_at is not None:
        where = (
            f"，距地址 {job.checkin_distance_m} 米" if job.checkin_distance_m is not None else ""
        )
        label = f"（{job.checkin_label}）" if job.checkin_label else ""
        lines.append(f"签到：{clock_words(job.started_at, tz)}{label}{where}")
    if job.ended_at is not None:
        lines.append(f"完工：{clock_words(job.ended_at, tz)} {job.resolution}")
    if job.state is JobState.CANCELLED and job.cancel_reason:
        lines.append(f"取消原因：{job.cancel_reason}")
    return lines


def line(job: InstallJob, customer: Customer, installer: Employee | None, tz: tzinfo) -> str:
    """AZ-20261126-0001 11月26日（周四）14:00-16:00 星辰科技 打印机2台 · 王师傅 · 已派工"""
    parts = [job.number, window_words(job, tz), customer.display_name]
    if job.items:
        parts.append(job.items)
    return f"{' '.join(parts)} · {person(installer)} · {STATE_WORDS[job.state]}"
