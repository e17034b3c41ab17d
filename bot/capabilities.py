"""The one list of capabilities. Adding one: its folders (``handlers/<name>/`` declaring it,
``bot/<name>/``, ``models/<name>.py``, ``scheduler/<name>.py``, ``tests/<name>/``) and one
line here.

The order is the order of 帮助's sections and of the demo's scenes; which route takes a
message never depends on it (``bot.dispatch.registry``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.capability import Capability, Services
from bot.dispatch.router import Router
from bot.outbox import Transport
from handlers import (
    admin,
    announcements,
    calls,
    core,
    crm,
    erp,
    followups,
    installation,
    kf,
    knowledge,
    orders,
    people,
    provider,
    reports,
    subscription,
    surveys,
    tickets,
    vendor_support,
)

CAPABILITIES: tuple[Capability, ...] = (
    core.capability,
    admin.capability,
    subscription.capability,
    tickets.capability,
    followups.capability,
    crm.capability,
    orders.capability,
    installation.capability,
    calls.capability,
    erp.capability,
    surveys.capability,
    reports.capability,
    knowledge.capability,
    announcements.capability,
    kf.capability,
    provider.capability,
    people.capability,
    vendor_support.capability,
)


class CapabilityConflict(ValueError):
    """Two capabilities claim the same name, outbox channel or dependency."""


def routers_of(capabilities: Iterable[Capability]) -> list[Router]:
    return [router for capability in capabilities for router in capability.routers]


def all_routers() -> list[Router]:
    return routers_of(CAPABILITIES)


def collect_transports(
    capabilities: Iterable[Capability], services: Services
) -> dict[str, Transport]:
    return _merge(((c.name, c.transports(services)) for c in capabilities), "outbox channel")


def collect_deps(capabilities: Iterable[Capability], services: Services) -> dict[str, Any]:
    return _merge(((c.name, c.deps(services)) for c in capabilities), "dependency")


def _merge(parts: Iterable[tuple[str, Mapping[str, Any]]], what: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for owner, part in parts:
        for key, value in part.items():
            if key in merged:
                raise CapabilityConflict(f"{owner} and {owners[key]} both provide {what} {key!r}")
            merged[key], owners[key] = value, owner
    return merged


def check_names(capabilities: Sequence[Capability]) -> None:
    names = [c.name for c in capabilities]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CapabilityConflict(f"capabilities listed twice: {', '.join(repeated)}")
