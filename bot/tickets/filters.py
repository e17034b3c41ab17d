"""Route filters the work-order commands share."""

from __future__ import annotations

from bot.dispatch.filters import ArgsLike
from bot.tickets.numbers import LEADING_REF

# The commands whose first argument is a ticket take only text that starts with one.
NAMES_A_TICKET = ArgsLike(LEADING_REF)
