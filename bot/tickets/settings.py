"""The ``[tickets]`` config table: SLA targets per priority and optional business hours.

Parsed into frozen values at start-up; a wrong key or value raises ``TicketConfigError`` with
the key's path, which ``bot.config`` turns into its ``ConfigError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.tickets.hours import BusinessHours, WorkingTime, parse_hours
from models.tickets import TicketPriority


class TicketConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class SlaTarget:
    first_response: timedelta
    resolution: timedelta


DEFAULT_SLA: Mapping[TicketPriority, SlaTarget] = {
    TicketPriority.URGENT: SlaTarget(timedelta(minutes=30), timedelta(hours=4)),
    TicketPriority.HIGH: SlaTarget(timedelta(hours=1), timedelta(hours=8)),
    TicketPriority.NORMAL: SlaTarget(timedelta(hours=4), timedelta(hours=24)),
    TicketPriority.LOW: SlaTarget(timedelta(hours=8), timedelta(hours=72)),
}


@dataclass(frozen=True, slots=True)
class TicketSettings:
    sla: Mapping[TicketPriority, SlaTarget] = field(default_factory=lambda: dict(DEFAULT_SLA))
    business_hours: BusinessHours | None = None  # None: SLAs count wall-clock time
    warn_percent: int = 80  # the assignee is warned at this share of a target

    def working_time(self, tz: ZoneInfo) -> WorkingTime:
        return WorkingTime(tz, self.business_hours)


def _minutes(table: Mapping[str, Any], path: str, name: str, default: timedelta) -> timedelta:
    value = table.get(name, int(default.total_seconds() // 60))
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise TicketConfigError(
            f"{path}.{name}", f"a whole number of minutes (1 or more), got {value!r}"
        )
    return timedelta(minutes=value)


def _sla(raw: Any) -> dict[TicketPriority, SlaTarget]:
    if raw is None:
        return dict(DEFAULT_SLA)
    if not isinstance(raw, Mapping):
        raise TicketConfigError("tickets.sla", "a table of priorities (urgent, high, normal, low)")
    unknown = set(raw) - {p.value for p in TicketPriority}
    if unknown:
        raise TicketConfigError(
            f"tickets.sla.{sorted(unknown)[0]}", "one of urgent, high, normal, low"
        )
    targets: dict[TicketPriority, SlaTarget] = {}
    for priority, default in DEFAULT_SLA.items():
        path = f"tickets.sla.{priority.value}"
        table = raw.get(priority.value, {})
        if not isinstance(table, Mapping):
            raise TicketConfigError(
                path, "a table with first_response_minutes and resolution_minutes"
            )
        targets[priority] = SlaTarget(
            _minutes(table, path, "first_response_minutes", default.first_response),
            _minutes(table, path, "resolution_minutes", default.resolution),
        )
    return targets


def _business_hours(raw: Mapping[str, Any]) -> BusinessHours | None:
    text = raw.get("business_hours", "")
    if not isinstance(text, str):
        raise TicketConfigError("tickets.business_hours", f'"09:00-18:00" or "", got {text!r}')
    days = raw.get("workdays", [1, 2, 3, 4, 5])
    valid_days = (
        isinstance(days, list)
        and days
        and all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days)
    )
    if not valid_days:
        raise TicketConfigError(
            "tickets.workdays", f"a list of weekdays 1 (Monday) to 7, got {days!r}"
        )
    holidays = raw.get("public_holidays", True)
    if not isinstance(holidays, bool):
        raise TicketConfigError("tickets.public_holidays", f"true or false, got {holidays!r}")
    if not text.strip():
        return None
    hours = parse_hours(text)
    if hours is None:
        raise TicketConfigError(
            "tickets.business_hours", f'"HH:MM-HH:MM" with start before end, got {text!r}'
        )
    return BusinessHours(hours[0], hours[1], frozenset(days), public_holidays=holidays)


def parse_tickets(raw: Any) -> TicketSettings:
    if raw is None:
        return TicketSettings()
    if not isinstance(raw, Mapping):
        raise TicketConfigError("tickets", "a table")
    percent = raw.get("warn_percent", 80)
    if not isinstance(percent, int) or isinstance(percent, bool) or not 1 <= percent <= 99:
        raise TicketConfigError(
            "tickets.warn_percent", f"a percentage from 1 to 99, got {percent!r}"
        )
    return TicketSettings(
        sla=_sla(raw.get("sla")), business_hours=_business_hours(raw), warn_percent=percent
    )
