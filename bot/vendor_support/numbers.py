"""Request numbers: ``KF0003`` is request 3. People write ``KF3``, ``kf0003`` or ``#3``."""

from __future__ import annotations

import re

PREFIX = "KF"
_NUMBER = re.compile(r"^(?:kf|#)?\s*0*(\d{1,9})$", re.IGNORECASE)


def format_number(request_id: int) -> str:
    return f"{PREFIX}{request_id:04d}"


def parse_number(text: str) -> int | None:
    found = _NUMBER.match(text.strip())
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None
