"""What finding a message's phrasing costs: every phrasing tried in order, against the
character index (``bot.dispatch.phrasing_index``) that offers each text only the phrasings
it could fit.

    .venv/bin/python bench/phrasing_scan.py [--rounds 5]

Every example utterance of every command and every sentence of the development corpus
(tests/nlu/corpus/dev/), rewritten both ways; both must give the same canonical command for
every text (the bench stops otherwise). Prints the CPU per text of each, for bench/README.md.
"""

from __future__ import annotations

import argparse
import time
import tomllib
from pathlib import Path
from typing import Any

from benchlib import machine, save

from bot.capabilities import all_routers
from bot.dispatch.registry import RouteTable

DEV = Path(__file__).resolve().parents[1] / "tests" / "nlu" / "corpus" / "dev"


def texts(table: RouteTable) -> list[str]:
    said = [example for route in table.routes for example in route.examples]
    for path in sorted(DEV.glob("*.toml")):
        said += [case["text"] for case in tomllib.loads(path.read_text("utf-8"))["case"]]
    return said


def full_scan(table: RouteTable, text: str) -> str | None:
    lowered = text.lower()
    for words, phrasing, _ in table._phrasings:
        if words and lowered.startswith(words):
            continue
        canonical = phrasing.rewrite(text)
        if canonical is not None:
            return canonical
    return None


def cpu_us(call: Any, said: list[str], rounds: int) -> float:
    started = time.process_time()
    for _ in range(rounds):
        for text in said:
            call(text)
    return (time.process_time() - started) / (rounds * len(said)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    table = RouteTable([route for router in all_routers() for route in router.routes])
    said = texts(table)
    for text in said:
        assert table._rephrase_as_typed(text, ()) == full_scan(table, text), text
    scan = cpu_us(lambda t: full_scan(table, t), said, args.rounds)
    indexed = cpu_us(lambda t: table._rephrase_as_typed(t, ()), said, args.rounds)
    print(f"{len(said)} texts, {len(table._phrasings)} phrasings, {args.rounds} rounds")
    print(f"  every phrasing tried  {scan:8.1f} µs CPU per text")
    print(f"  indexed               {indexed:8.1f} µs CPU per text")
    save(
        "phrasing_scan",
        "cpu",
        {
            "texts": len(said),
            "phrasings": len(table._phrasings),
            "scan_us": round(scan, 1),
            "indexed_us": round(indexed, 1),
            **machine(),
        },
    )


if __name__ == "__main__":
    main()
