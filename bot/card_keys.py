"""Keys of template-card buttons: ``<kind>:<action>:<record id>``, so a click names what it acts
on without any state kept between the card and the click (work orders, sales orders)."""

from __future__ import annotations

from collections.abc import Container


def button_key(kind: str, action: str, record_id: int) -> str:
    return f"{kind}:{action}:{record_id}"


def parse_button_key(key: str, kind: str, actions: Container[str]) -> tuple[str, int] | None:
    """(action, record id) of a key of this kind with a known action; None for anything else
    (a forged or stale key is ignored, never an error)."""
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != kind or parts[1] not in actions:
        return None
    return (parts[1], int(parts[2])) if parts[2].isdigit() else None
