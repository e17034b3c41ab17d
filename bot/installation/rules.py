"""A tenant's installation settings (安装设置): the default length of an appointment window,
the travel time kept free between two jobs of one installer, and how many photos a
completion needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from models.installation import InstallSettings

DEFAULT_WINDOW_MINUTES = 120
DEFAULT_TRAVEL_MINUTES = 30
DEFAULT_REQUIRED_PHOTOS = 2


@dataclass(frozen=True, slots=True)
class Rules:
    window_minutes: int = DEFAULT_WINDOW_MINUTES
    travel_minutes: int = DEFAULT_TRAVEL_MINUTES
    required_photos: int = DEFAULT_REQUIRED_PHOTOS

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    @property
    def travel(self) -> timedelta:
        return timedelta(minutes=self.travel_minutes)


async def rules_of(tenant_id: int) -> Rules:
    row = await InstallSettings.get_or_none(tenant_id=tenant_id)
    if row is None:
        return Rules()
    return Rules(row.window_minutes, row.travel_minutes, row.required_photos)


async def save_rules(tenant_id: int, rules: Rules) -> None:
    values: dict[str, Any] = {
        "window_minutes": rules.window_minutes,
        "travel_minutes": rules.travel_minutes,
        "required_photos": rules.required_photos,
    }
    updated = await InstallSettings.filter(tenant_id=tenant_id).update(**values)
    if not updated:
        await InstallSettings.create(tenant_id=tenant_id, **values)
