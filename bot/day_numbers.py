"""Numbers people read out: a prefix, the tenant-local day and a sequence that restarts every
day (``GD-20261123-0001`` for a work order, ``DD-20261207-0001`` for a sales order).

People say only the tail (``0001``, ``1``, ``1号``): that is the latest day's record with that
sequence, which is today's once today has one. The full number names one exactly. Each kind
gives the shape of its references (``_REF``-style pattern with ``day`` and ``seq`` groups) and
its model, which stores ``tenant``, ``day`` and ``seq`` with a unique (tenant, day, seq) index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class DayNumbers(Generic[M]):
    prefix: str
    model: type[M]
    reference: re.Pattern[str]  # the whole of a reference, with groups ``day`` and ``seq``

    def format(self, day: date, seq: int) -> str:
        return f"{self.prefix}-{day:%Y%m%d}-{seq:04d}"

    def parse(self, text: str) -> tuple[date | None, int] | None:
        """The tail alone → (None, seq); the full number → (day, seq); None if neither."""
        match = self.reference.match(text.strip())
        if match is None or int(match["seq"]) == 0:
            return None
        if match["day"] is None:
            return None, int(match["seq"])
        try:
            day = datetime.strptime(match["day"], "%Y%m%d").date()  # noqa: DTZ007 (a date only)
        except ValueError:
            return None
        return day, int(match["seq"])

    async def next_seq(self, tenant_id: int, day: date) -> int:
        """The next tail of ``day``; the (tenant, day, seq) unique index refuses a racing twin."""
        last = await self.model.filter(tenant_id=tenant_id, day=day).order_by("-seq").first()
        return int(last.seq) + 1 if last else 1  # type: ignore[attr-defined]

    async def find(self, tenant_id: int, ref: str) -> M | None:
        parsed = self.parse(ref)
        if parsed is None:
            return None
        day, seq = parsed
        if day is not None:
            return await self.model.get_or_none(tenant_id=tenant_id, day=day, seq=seq)
        # Days only go forward, so the latest day with that tail is today's when today has one.
        return await self.model.filter(tenant_id=tenant_id, seq=seq).order_by("-day").first()
