"""Line items and quotes: what a person reads before confirming, and what an order stores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.subscription import wording
from bot.subscription.money import format_cny, is_money, money_sum


@dataclass(frozen=True, slots=True)
class LineItem:
    """One priced line, rounded on its own to the fen.

    For a recurring or one-off line ``amount == quantity × unit_price``. For a prorated line
    ``unit_price`` is the full-period price and ``amount`` the share for the days left, which the
    description states ("按剩余 12/31 天折算"). ``code`` says what the line is for, in a form a
    program can group by: ``edition:standard``, ``module:tickets``, ``bundle:growth_pack``,
    ``seats``, ``service:onsite_visit``.
    """

    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    code: str = ""

    def __post_init__(self) -> None:
        if not (is_money(self.unit_price) and is_money(self.amount)):
            raise ValueError(f"line amounts must be rounded to the fen: {self!r}")

    def text(self) -> str:
        return f"{self.description}：{format_cny(self.amount)}"


@dataclass(frozen=True, slots=True)
class Quote:
    """Priced lines, their total (always the sum of the rounded lines) and what to know."""

    lines: tuple[LineItem, ...]
    total: Decimal
    effective_on: date
    notes: tuple[str, ...] = ()
    ends_on: date | None = None  # exclusive end of the time paid for, when the quote buys time

    def __post_init__(self) -> None:
        if self.total != money_sum([line.amount for line in self.lines]):
            raise ValueError(f"a quote's total must be the sum of its lines: {self!r}")

    @classmethod
    def of(
        cls,
        lines: Iterable[LineItem],
        effective_on: date,
        notes: Iterable[str] = (),
        ends_on: date | None = None,
    ) -> Quote:
        items = tuple(lines)
        total = money_sum([line.amount for line in items])
        return cls(items, total, effective_on, tuple(notes), ends_on)

    def lines_text(self) -> str:
        """The numbered lines alone, one per row."""
        return "\n".join(f"{n}. {line.text()}" for n, line in enumerate(self.lines, 1))

    def render(self) -> str:
        """Lines, total and notes: the body of a chat reply that asks to confirm."""
        rows = [self.lines_text()] if self.lines else []
        rows.append(wording.total_line(self.total, self.effective_on))
        rows.extend(f"· {note}" for note in self.notes)
        return "\n".join(rows)
