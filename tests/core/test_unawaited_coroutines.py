"""A coroutine nobody awaits fails the suite wherever it is dropped. Each case is a small test
file that pytest runs in a child process with this project's configuration and conftest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.processes import LEAKED, TESTS, module_command

ROOT = TESTS.parent

WORK = """\
import asyncio
import gc
import threading


async def work() -> None:
    await asyncio.sleep(0)


class Box:
    pass
"""

DURING_TESTS = """
async def test_awaited() -> None:
    await work()


def test_dropped() -> None:
    work()


async def test_dropped_in_an_async_test() -> None:
    work()
    await asyncio.sleep(0)


def test_dropped_in_a_worker_thread() -> None:
    worker = threading.Thread(target=work)  # as a scheduler runs a job that is no coroutine
    worker.start()
    worker.join()


def test_dropped_in_a_reference_cycle() -> None:
    box = Box()
    box.itself, box.coroutine = box, work()


def test_the_garbage_collection_after_it() -> None:
    gc.collect()  # the cycle's coroutine is finalised now: this test is the one that fails


async def test_awaited_again() -> None:
    await work()
"""


def run_pytest(tmp_path: Path, body: str, *options: str) -> tuple[int, dict[str, str], str]:
    """The exit code, each test's outcome, and everything printed."""
    test_file = tmp_path / "test_generated.py"
    test_file.write_text(WORK + body, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(TESTS), str(ROOT)]))
    command = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "-rA"]
    command += ["--rootdir", str(ROOT), "-p", "conftest", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*command, *options, str(test_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    printed = done.stdout + done.stderr
    outcomes = {
        name: outcome
        for outcome, name in re.findall(r"^(PASSED|FAILED) \S*::(\w+)", printed, re.MULTILINE)
    }
    return done.returncode, outcomes, printed


def test_the_test_during_which_a_coroutine_is_dropped_fails(tmp_path: Path) -> None:
    code, outcomes, printed = run_pytest(tmp_path, DURING_TESTS)
    assert outcomes == {
        "test_awaited": "PASSED",
        "test_dropped": "FAILED",
        "test_dropped_in_an_async_test": "FAILED",
        "test_dropped_in_a_worker_thread": "FAILED",
        "test_dropped_in_a_reference_cycle": "PASSED",
        "test_the_garbage_collection_after_it": "FAILED",
        "test_awaited_again": "PASSED",
    }, printed
    assert code == 1
    assert printed.count("RuntimeWarning: coroutine 'work' was never awaited") == 4


# The suite runs in parallel workers (pytest-xdist, ``-n``): what a worker finds must fail the run.
IN_ONE_PROCESS_OR_IN_WORKERS = pytest.mark.parametrize("options", [(), ("-n", "2")])


@IN_ONE_PROCESS_OR_IN_WORKERS
def test_a_coroutine_in_a_cycle_collected_at_the_end_fails_the_run(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    body = "\ndef test_it() -> None:\n    box = Box()\n    box.me, box.coroutine = box, work()\n"
    code, outcomes, printed = run_pytest(tmp_path, body, *options)
    assert outcomes == {"test_it": "PASSED"}
    assert code != 0, printed
    assert "RuntimeWarning: coroutine 'work' was never awaited" in printed


@IN_ONE_PROCESS_OR_IN_WORKERS
def test_a_coroutine_still_held_at_the_end_fails_the_run(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    body = "\nHELD = []\n\n\ndef test_it() -> None:\n    HELD.append(work())\n"
    code, outcomes, printed = run_pytest(tmp_path, body, *options)
    assert outcomes == {"test_it": "PASSED"}
    assert code == 1, printed
    assert "coroutines never awaited, still held at the end" in printed
    assert f"work ({tmp_path / 'test_generated.py'}:6)" in printed


def test_a_coroutine_a_child_process_drops_fails_its_command(tmp_path: Path) -> None:
    """What the tests that run ``python -m bot`` get from support.processes."""
    (tmp_path / "dropping.py").write_text(WORK + "\nwork()\n", encoding="utf-8")
    done = subprocess.run(
        module_command("dropping"), capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == LEAKED
    assert "coroutine 'work' was never awaited" in done.stderr
