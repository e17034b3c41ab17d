"""What a tenant pays for, and how a change splits into "now" and "from the next period".

A ``Plan`` holds catalog codes, as the database stores them. Functions here accept names and
aliases too (``normalize_plan``), so a handler may build a plan straight from chat words.

The split follows issue 3: increases apply at once: more seats, an added module, a bundle that
adds a module, a higher edition (dearer per seat and adding a module). Decreases wait for the
next period, because the current one is paid and never refunded: fewer seats, a removed module
or bundle, a cheaper edition, and also a switch that only repackages what the tenant already has
(a bundle or edition covering extras already bought). A change of billing period waits too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.subscription.catalog import Catalog

NO_CODES: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Plan:
    edition: str
    seats: int
    period: str
    modules: frozenset[str] = NO_CODES  # extra modules bought on top of the edition
    bundles: frozenset[str] = NO_CODES

    def __post_init__(self) -> None:
        if isinstance(self.seats, bool) or self.seats < 1:
            raise ValueError(f"a plan needs at least one seat, got {self.seats!r}")


@dataclass(frozen=True, slots=True)
class PlanChange:
    """What a tenant asks for; unset fields keep the plan's value."""

    seats: int | None = None
    edition: str | None = None
    add_modules: frozenset[str] = NO_CODES
    remove_modules: frozenset[str] = NO_CODES
    add_bundles: frozenset[str] = NO_CODES
    remove_bundles: frozenset[str] = NO_CODES
    period: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeSplit:
    now: Plan  # in force from the day of the change until the period ends
    next_period: Plan  # in force from the next period on (the pending change to store)

    @property
    def deferred(self) -> bool:
        """True if part of the change waits for the next period."""
        return self.next_period != self.now


def normalize_plan(catalog: Catalog, plan: Plan) -> Plan:
    """``plan`` with every name or alias replaced by its code; unknown names raise
    ``UnknownItemError``."""
    return replace(
        plan,
        edition=catalog.edition(plan.edition).code,
        period=catalog.period(plan.period).code,
        modules=frozenset(catalog.module(m).code for m in plan.modules),
        bundles=frozenset(catalog.bundle(b).code for b in plan.bundles),
    )


def normalize_change(catalog: Catalog, change: PlanChange) -> PlanChange:
    """``change`` with every name or alias replaced by its code."""
    return PlanChange(
        seats=change.seats,
        edition=catalog.edition(change.edition).code if change.edition else None,
        add_modules=frozenset(catalog.module(m).code for m in change.add_modules),
        remove_modules=frozenset(catalog.module(m).code for m in change.remove_modules),
        add_bundles=frozenset(catalog.bundle(b).code for b in change.add_bundles),
        remove_bundles=frozenset(catalog.bundle(b).code for b in change.remove_bundles),
        period=catalog.period(change.period).code if change.period else None,
    )


def granted_modules(catalog: Catalog, plan: Plan) -> frozenset[str]:
    """Every module the plan lets its tenant use: the entitlement check's answer."""
    granted = set(catalog.edition(plan.edition).modules) | set(plan.modules)
    for code in plan.bundles:
        granted.update(catalog.bundle(code).modules)
    return frozenset(granted)


def billable_modules(catalog: Catalog, plan: Plan) -> tuple[str, ...]:
    """Extra modules that cost money: those the edition or a bundle does not already cover."""
    covered = granted_modules(catalog, replace(plan, modules=NO_CODES))
    return tuple(m.code for m in catalog.modules if m.code in plan.modules - covered)


def _check_change(plan: Plan, change: PlanChange) -> None:
    for kind, added, removed, held in (
        ("module", change.add_modules, change.remove_modules, plan.modules),
        ("bundle", change.add_bundles, change.remove_bundles, plan.bundles),
    ):
        if added & removed:
            raise ValueError(f"{kind}s both added and removed: {sorted(added & removed)}")
        if removed - held:
            raise ValueError(
                f"cannot remove {kind}s the plan does not hold: {sorted(removed - held)}"
            )


def _add_modules(catalog: Catalog, base: Plan, wanted: frozenset[str]) -> Plan:
    """``base`` with the ``wanted`` modules it does not already grant added as extras."""
    missing = wanted - granted_modules(catalog, base)
    return replace(base, modules=base.modules | missing)


def _gains(catalog: Catalog, plan: Plan, changed: Plan) -> bool:
    """True if ``changed`` lets the tenant use a module that ``plan`` does not."""
    return bool(granted_modules(catalog, changed) - granted_modules(catalog, plan))


def _upgrades_edition(catalog: Catalog, plan: Plan, edition: str) -> bool:
    """A "higher edition" costs more per seat and adds a module; an edition that only makes
    extras the tenant already bought cheaper is a decrease, so it waits like one."""
    dearer = catalog.edition(edition).price.monthly > catalog.edition(plan.edition).price.monthly
    return dearer and _gains(catalog, plan, replace(plan, edition=edition))


def split_change(catalog: Catalog, plan: Plan, change: PlanChange) -> ChangeSplit:
    """Which part of ``change`` applies now and what the plan becomes from the next period."""
    plan, change = normalize_plan(catalog, plan), normalize_change(catalog, change)
    _check_change(plan, change)
    edition = change.edition or plan.edition
    target = Plan(
        edition=edition,
        seats=plan.seats if change.seats is None else change.seats,
        period=change.period or plan.period,
        modules=plan.modules - change.remove_modules,
        bundles=(plan.bundles - change.remove_bundles) | change.add_bundles,
    )
    # A bundle that only repackages modules already held saves money: it waits too.
    bundles = {b for b in change.add_bundles if _gains(catalog, plan, _with_bundle(plan, b))}
    now = replace(
        plan,
        edition=edition if _upgrades_edition(catalog, plan, edition) else plan.edition,
        seats=max(plan.seats, target.seats),
        bundles=plan.bundles | bundles,
    )
    return ChangeSplit(
        now=_add_modules(catalog, now, change.add_modules),
        next_period=_add_modules(catalog, target, change.add_modules),
    )


def _with_bundle(plan: Plan, bundle: str) -> Plan:
    return replace(plan, bundles=plan.bundles | {bundle})
