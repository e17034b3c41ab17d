"""``python -m bot`` in a child process, as a user runs it, held to the suite's rules:

- when ``SCRM_TEST_MOVE_CLOCK`` has moved this process's wall clock (see conftest.py), the
  child's is moved by the same offset, so the command runs on the same date as the tests;
- a coroutine the child never awaited (or any other exception raised where nothing could catch
  it) makes it exit with ``LEAKED``, as it would fail the suite in this process.
"""

from __future__ import annotations

import runpy
import sys
import time
import warnings
from pathlib import Path

import time_machine
from support.coroutines import never_started

LEAKED = 70
TESTS = Path(__file__).resolve().parents[1]
_CHILD = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import support.processes as p; p.run()"


def module_command(module: str, *args: str) -> list[str]:
    """The argv for ``python -m MODULE ARGS`` under ``run``."""
    offset = 0.0
    if time_machine.escape_hatch.is_travelling():
        offset = time.time() - time_machine.escape_hatch.time.time()
    return [sys.executable, "-c", _CHILD, repr(offset), module, *args]


def bot_command(*args: str) -> list[str]:
    return module_command("bot", *args)


def run() -> None:
    """The child's side: ``argv[1]`` is the clock offset, ``argv[2]`` the module to run."""
    offset, module = float(sys.argv[1]), sys.argv[2]
    del sys.argv[1:3]
    if offset:
        time_machine.travel(time.time() + offset).start()
    ignored: list[str] = []

    def keep(unraisable: sys.UnraisableHookArgs) -> None:
        message = unraisable.err_msg or "Exception ignored in"
        ignored.append(f"{message}: {unraisable.object!r}: {unraisable.exc_value!r}")

    sys.unraisablehook = keep
    warnings.filterwarnings("error", "coroutine .* was never awaited", RuntimeWarning)
    code: object = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code
    ignored += [f"never awaited and still held: {name}" for name in never_started()]
    if ignored:
        sys.stderr.write("".join(f"{line}\n" for line in ignored))
        code = LEAKED
    sys.exit(code)
