"""Job numbers: ``AZ-20261126-0001``, and finding a job by what people type.

People say the tail (``AZ0001``, ``0001``, ``安装单 1``): the latest day's job with that
sequence. The full number names one exactly.
"""

from __future__ import annotations

import re

from bot.day_numbers import DayNumbers
from models.installation import InstallJob

PREFIX = "AZ"
# A job as people name it at the start of what they type, for patterns to build on.
REF_TEXT = r"(?:安装单|安装)?\s*[#第]?\s*(?:AZ-?)?(?:\d{8}-)?\d{1,12}(?:\s*号)?"
LEADING_REF = re.compile(rf"{REF_TEXT}(?!\d)", re.IGNORECASE)
_REF = re.compile(
    r"^(?:安装单|安装)?\s*[#第]?\s*(?:AZ-?)?(?:(?P<day>\d{8})-?(?=\d{4}$))?(?P<seq>\d{1,6})"
    r"\s*(?:号)?$",
    re.IGNORECASE,
)


def tail(job: InstallJob) -> str:
    return f"AZ{job.seq:04d}"


def split_ref(text: str) -> tuple[str, str] | None:
    """(the job reference, the rest) when ``text`` starts with one."""
    found = LEADING_REF.match(text.strip())
    if found is None:
        return None
    return found.group(0), text.strip()[found.end() :].strip()


NUMBERS = DayNumbers(PREFIX, InstallJob, _REF)
format_number = NUMBERS.format
next_seq = NUMBERS.next_seq
find_job = NUMBERS.find
