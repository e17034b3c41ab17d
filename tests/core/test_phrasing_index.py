"""The phrasing index finds, for every text, the same phrasing a scan of all of them finds."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from pathlib import Path

import pytest

from bot.capabilities import all_routers
from bot.dispatch.phrasing import compile_phrasings
from bot.dispatch.phrasing_index import PhrasingIndex, anchors
from bot.dispatch.registry import RouteTable
from bot.dispatch.router import Route

DEV = Path(__file__).resolve().parents[1] / "nlu" / "corpus" / "dev"


def scanned(table: RouteTable, text: str, closed: Collection[Route] = ()) -> str | None:
    """The rewrite as it was before the index: every phrasing tried, in order."""
    lowered = text.lower()
    for words, phrasing, route in table._phrasings:
        if words and lowered.startswith(words):
            continue
        if closed and route in closed:
            continue
        canonical = phrasing.rewrite(text)
        if canonical is not None:
            return canonical
    return None


@pytest.fixture(scope="module")
def table() -> RouteTable:
    return RouteTable([route for router in all_routers() for route in router.routes])


def texts(table: RouteTable) -> list[str]:
    said = [example for route in table.routes for example in route.examples]
    for path in sorted(DEV.glob("*.toml")):
        said += [case["text"] for case in tomllib.loads(path.read_text("utf-8"))["case"]]
    # Typed variants: upper case, squeezed, with the first character dropped.
    return (
        said
        + [t.upper() for t in said]
        + [t.replace(" ", "") for t in said]
        + [t[1:] for t in said]
    )


def test_every_example_and_development_sentence_rewrites_as_a_full_scan_does(
    table: RouteTable,
) -> None:
    said = texts(table)
    assert len(said) > 4000
    rewritten = 0
    for text in said:
        # Without the squeezed retry of ``rephrase``, which only repeats the same lookup.
        assert table._rephrase_as_typed(text, ()) == scanned(table, text), text
        rewritten += scanned(table, text) is not None
    assert rewritten > 1000  # the comparison covers texts the phrasings do take


def test_closed_routes_are_skipped_as_before(table: RouteTable) -> None:
    closed = {route for route in table.routes if route.module != "core"}
    for text in texts(table)[:1500]:
        assert table._rephrase_as_typed(text, closed) == scanned(table, text, closed), text


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"给(?P<who>.+)打个?标签(?P<tag>.+)", [{"给"}, {"打"}, {"标"}, {"签"}]),
        (r"(?:给|帮)(?P<who>.+)", [{"给", "帮"}]),
        (r"[给帮](?P<who>.+)", [{"给", "帮"}]),
        (r"(?:给|)(?P<who>.+)", []),  # an empty alternative promises nothing
        (r"(?:请)?(?P<who>.+)", []),  # nor does an optional word
        (r"(?:请)+(?P<who>.+)", [{"请"}]),
        (r"Hi(?P<who>.+)", [{"h"}, {"i"}]),  # matched ignoring case, so filed lowered
    ],
)
def test_anchors_are_what_every_match_must_contain(pattern: str, expected: list[set[str]]) -> None:
    assert anchors(re.compile(pattern, re.IGNORECASE)) == [frozenset(a) for a in expected]


def test_a_text_is_offered_only_the_phrasings_it_could_fit() -> None:
    phrasings = compile_phrasings(
        [(r"给(?P<who>.+)打个?标签", "打标签 {who}"), (r"(?:查|找)(?P<who>.+)", "查客户 {who}")],
        ["打标签", "查客户"],
    )
    index = PhrasingIndex([p.pattern for p in phrasings])
    assert index.candidates("查一下张总") == [1]
    assert index.candidates("给张总打个标签") == [0]
    assert index.candidates("你好") == []
