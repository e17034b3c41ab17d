"""Ticket numbers: ``GD-20261123-0001``, and finding a ticket by what people type.

People say the tail (``0001``, or just ``1``): that is today's ticket with that sequence,
or, when today has none yet, the most recent day's. The full number names one exactly.
Around the number people add what makes it a ticket: ``#1``, ``1号``, ``第1个``, ``工单1``.
"""

from __future__ import annotations

import re

from bot.day_numbers import DayNumbers
from models.tickets import Ticket

PREFIX = "GD"
_REF = re.compile(
    r"^(?:工单|单号)?\s*[#第]?\s*(?:GD-?(?P<day>\d{8})-?)?(?P<seq>\d{1,6})\s*(?:号|个|张)?"
    r"\s*(?:工单)?$",
    re.IGNORECASE,
)


# A ticket as people name it at the start of what they type (the tail, #1, 第1个, 工单0001,
# GD-…), for patterns to build on.
REF_TEXT = r"(?:工单|单号)?\s*[#第]?\s*(?:GD-?\d{8}-?)?\d{1,6}"
# What arguments that name a ticket start with: a command whose first argument is a ticket
# takes nothing else (``Command(args_like=…)``).
# A ticket named without its number: the customer's (``张总的工单``) or the one just opened
# (``最近的工单``); the phrasings write these for 张总那个工单 / 刚才那个工单.
LATEST = "最近的工单"
_BY_CUSTOMER = re.compile(r"^(?P<who>[^\s，,：:的0-9]{1,12})的工单$")
SPOKEN_REF_TEXT = rf"(?:{LATEST}|[^\s，,：:的0-9]{{1,12}}的工单)"
LEADING_REF = re.compile(
    rf"(?:客户\s*)?(?:{REF_TEXT}(?!\d)|{SPOKEN_REF_TEXT}(?![^\s，,：:]))", re.IGNORECASE
)


def customer_named(ref: str) -> str | None:
    """张总 for 张总的工单; None for any other way of naming a ticket."""
    match = _BY_CUSTOMER.match(ref.strip())
    return match["who"] if match is not None else None


NUMBERS = DayNumbers(PREFIX, Ticket, _REF)
format_number = NUMBERS.format
# 0001, #1, 1号, 第1个, 工单1 → (None, 1); GD-20261123-0001 → (2026-11-23, 1)
parse_ref = NUMBERS.parse
next_seq = NUMBERS.next_seq
find_ticket = NUMBERS.find
