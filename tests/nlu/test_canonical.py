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

# Another command's word, taken only when an operator of the provider names a client
# enterprise with it (客户 星辰科技); everyone else's 客户 … is the CRM's. tests/provider
# sends its canonical form as an operator.
SPEAKER_GATED = frozenset({"provider.tenant_as_customer"})
COMMANDS = [
    r
    for r in flatten(all_routers())
    if r.tier is Tier.COMMAND and r.commands and r.intent not in SPEAKER_GATED
]


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
