"""The precise form always wins: every command, typed in its canonical syntax with any of its
words, reaches that command, whatever the understanding stages around it would make of it."""

from __future__ import annotations

import pytest

from bot.capabilities import all_routers
from bot.clock import FrozenClock
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.router import Route, flatten
from bot.dispatch.tiers import Tier
from bot.nlu.segment import load_segmenter
from bot.tenants import TenantInfo
from handlers.core.offers import canonical_example
from tests.support.updates import text_update

COMMANDS = [r for r in flatten(all_routers()) if r.tier is Tier.COMMAND and r.commands]


def canonical_forms(route: Route) -> list[str]:
    """Its canonical example, again with each of its other words in place of the first."""
    example = canonical_example(route)
    first = next(w for w in route.words if example.lower().startswith(w.lower()))
    args = example[len(first) :]
    return [example] + [word + args for word in route.commands if word != first]


CASES = [(route, text) for route in COMMANDS for text in canonical_forms(route)]


@pytest.mark.parametrize("case", CASES, ids=[f"{r.intent}: {t}" for r, t in CASES])
async def test_canonical_syntax_reaches_its_command(
    case: tuple[Route, str], clock: FrozenClock, tenant: TenantInfo
) -> None:
    route, text = case
    dispatcher = Dispatcher(all_routers(), clock=clock, deps={"segmenter": load_segmenter()})
    # admins' commands by an admin: a member typing a word both share (同义词) reaches the
    # members' version, and the admins' version of it serves admins
    user = "zhangsan" if route.access.privileged else "lisi"
    understood = await dispatcher.understand(text_update(text, user), tenant)
    assert understood.route is not None, f"nothing takes {text!r}"
    assert understood.route.intent == route.intent, f"{text!r} went to {understood.route.intent}"
    assert understood.text == text  # never rewritten into something else


def test_every_command_is_covered() -> None:
    assert {r.intent for r, _ in CASES} == {r.intent for r in COMMANDS}
