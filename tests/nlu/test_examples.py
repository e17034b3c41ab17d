"""Every example a command gives of how people ask for it reaches that command: the examples
are the contract between the people who type and the understanding pipeline."""

from __future__ import annotations

import pytest

from bot.capabilities import all_routers
from bot.clock import FrozenClock
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.router import Route, flatten
from bot.nlu.segment import load_segmenter
from bot.tenants import TenantInfo
from tests.support.updates import text_update

ROUTES_WITH_EXAMPLES = [r for r in flatten(all_routers()) if r.examples]


def _case_id(case: tuple[Route, str]) -> str:
    return f"{case[0].intent}: {case[1]}"


CASES = [(route, example) for route in ROUTES_WITH_EXAMPLES for example in route.examples]


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
async def test_each_example_reaches_its_command(
    case: tuple[Route, str], clock: FrozenClock, tenant: TenantInfo
) -> None:
    route, example = case
    dispatcher = Dispatcher(all_routers(), clock=clock, deps={"segmenter": load_segmenter()})
    chosen = await dispatcher.route_for(text_update(example), tenant)
    assert chosen is not None, f"nothing takes {example!r}"
    assert chosen.intent == route.intent, f"{example!r} went to {chosen.intent}"


def test_commands_give_examples() -> None:
    assert len(ROUTES_WITH_EXAMPLES) >= 3
