"""A telephony platform's webhook body, read strictly: anything off is a ``BadEvent`` whose
message names the field, never an exception from deep inside.

```json
{"call_id": "c-1", "event": "ringing", "direction": "in", "from": "+86 138-0000-0000",
 "to": "4008001234", "agent": "lisi", "ring_at": "2026-11-23T10:00:00+08:00",
 "answer_at": null, "end_at": null, "disposition": null, "recording_url": ""}
```

Times are ISO 8601 with an offset, or Unix seconds. ``event`` is ``ringing``, ``answered``
or ``ended``; ``disposition`` (busy/failed/missed/answered) only matters for an ended call
that was never answered.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.calls.numbers import normalise
from models.calls import CallDirection, CallStage, Disposition

_ID = re.compile(r"[A-Za-z0-9._:\-]{1,80}")
_USERID = re.compile(r"[A-Za-z0-9._@\-]{1,64}")
MAX_URL = 512


class BadEvent(ValueError):
    """The body is not a call event; the message says which field (safe to show)."""


@dataclass(frozen=True, slots=True)
class HookEvent:
    call_id: str
    stage: CallStage
    direction: CallDirection
    number: str  # the outside party
    line: str  # the tenant's side
    agent: str
    ring_at: datetime
    answer_at: datetime | None
    end_at: datetime | None
    said: Disposition | None
    recording_url: str


def _time(body: dict[str, Any], name: str, required: bool = False) -> datetime | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise BadEvent(f"{name} is required")
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        parsed = datetime.fromisoformat(str(value))
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise BadEvent(f"{name} is not a time") from exc
    if parsed.tzinfo is None:
        raise BadEvent(f"{name} needs a UTC offset")
    return parsed


def _text(body: dict[str, Any], name: str, pattern: re.Pattern[str] | None = None) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise BadEvent(f"{name} must be a string")
    text = str(value).strip()
    if pattern is not None and text and not pattern.fullmatch(text):
        raise BadEvent(f"{name} is not valid")
    return text


def _choice(body: dict[str, Any], name: str, kinds: type[Any], required: bool) -> Any:
    value = body.get(name)
    if value is None and not required:
        return None
    try:
        return kinds(value)
    except ValueError as exc:
        allowed = "/".join(k.value for k in kinds)
        raise BadEvent(f"{name} must be one of {allowed}") from exc


def read_event(raw: bytes) -> HookEvent:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadEvent("body is not JSON") from exc
    if not isinstance(body, dict):
        raise BadEvent("body must be a JSON object")
    call_id = _text(body, "call_id", _ID)
    if not call_id:
        raise BadEvent("call_id is required")
    direction = _choice(body, "direction", CallDirection, True)
    caller, callee = normalise(_text(body, "from")), normalise(_text(body, "to"))
    number, line = (caller, callee) if direction is CallDirection.INBOUND else (callee, caller)
    if not number:
        raise BadEvent("from/to must hold the outside number")
    url = _text(body, "recording_url")
    if len(url) > MAX_URL or (url and not url.startswith(("https://", "http://"))):
        raise BadEvent("recording_url is not valid")
    stage = _choice(body, "event", CallStage, True)
    answer_at = _time(body, "answer_at")
    if stage is CallStage.ANSWERED and answer_at is None:
        raise BadEvent("answer_at is required for answered")
    return HookEvent(
        call_id=call_id,
        stage=stage,
        direction=direction,
        number=number,
        line=line,
        agent=_text(body, "agent", _USERID),
        ring_at=_time(body, "ring_at", required=True),  # type: ignore[arg-type]
        answer_at=answer_at,
        end_at=_time(body, "end_at"),
        said=_choice(body, "disposition", Disposition, False),
        recording_url=url,
    )
