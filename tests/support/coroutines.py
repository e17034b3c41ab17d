"""Coroutines created and never awaited, the ones garbage collection cannot report: something
still holds them, so no ``RuntimeWarning`` is ever raised for them."""

from __future__ import annotations

import gc
import inspect


def never_started() -> list[str]:
    """Live coroutines that never ran a step, as ``name (file:line)``. Collects garbage first,
    so those that were only unreachable get reported the usual way (an unraisable warning)."""
    gc.collect()
    return [
        f"{obj.__qualname__} ({obj.cr_code.co_filename}:{obj.cr_code.co_firstlineno})"
        for obj in gc.get_objects()
        if inspect.iscoroutine(obj) and inspect.getcoroutinestate(obj) == inspect.CORO_CREATED
    ]
