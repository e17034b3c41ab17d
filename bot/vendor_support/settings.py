"""The optional ``[vendor_support]`` config table: the provider's first-response promise.

The SLA counts working hours only (the provider's support desk hours, on China's working
days, 调休 included, through ``bot.workdays``), in the provider tenant's timezone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.tickets.hours import BusinessHours, WorkingTime, parse_hours

KNOWN_KEYS = ("first_response_hours", "desk_hours")


class SupportConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class VendorSupportSettings:
    first_response_hours: int = 4  # working hours until a request must have an answer
    desk_opens: time = time(9, 0)
    desk_closes: time = time(18, 0)

    @property
    def first_response(self) -> timedelta:
        return timedelta(hours=self.first_response_hours)

    def working_time(self, tz: ZoneInfo) -> WorkingTime:
        hours = BusinessHours(self.desk_opens, self.desk_closes, frozenset({1, 2, 3, 4, 5}))
        return WorkingTime(tz, hours)


def parse_vendor_support(raw: object) -> VendorSupportSettings:
    """``raw`` is the ``[vendor_support]`` table, or None when the config has none."""
    if raw is None:
        return VendorSupportSettings()
    if not isinstance(raw, Mapping):
        raise SupportConfigError("vendor_support", "a table")
    for name in raw:
        if name not in KNOWN_KEYS:
            raise SupportConfigError(
                f"vendor_support.{name}", f"one of the known keys ({', '.join(KNOWN_KEYS)})"
            )
    hours = _hours(raw)
    desk = _desk(raw)
    return VendorSupportSettings(
        first_response_hours=hours, desk_opens=desk[0], desk_closes=desk[1]
    )


def _hours(raw: Mapping[str, Any]) -> int:
    value = raw.get("first_response_hours", 4)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 240:
        raise SupportConfigError(
            "vendor_support.first_response_hours",
            f"a whole number of hours from 1 to 240, got {value!r}",
        )
    return value


def _desk(raw: Mapping[str, Any]) -> tuple[time, time]:
    value = raw.get("desk_hours", "09:00-18:00")
    found = parse_hours(value) if isinstance(value, str) else None
    if found is None:
        raise SupportConfigError(
            "vendor_support.desk_hours", f'hours such as "09:00-18:00", got {value!r}'
        )
    return found
