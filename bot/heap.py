"""The long-lived heap a serving process builds at startup, kept out of the garbage collector.

After startup the bot holds millions of objects that live as long as the process: jieba's
dictionary, the understanding indexes, the routes and their phrasings. Python's full
collections walk all of them, and a burst of allocation (one 客户健康 over 2,000 clients)
sets one off in the middle of a request. Frozen, they are skipped: the slowest of 30 such
requests fell from 144 ms to 81 ms (bench/README.md). Only ``scrm-bot serve`` does this; the
tests build many apps in one process, and freezing each would keep every earlier one alive.
"""

from __future__ import annotations

import gc

from aiohttp import web


async def freeze_startup_heap(app: web.Application) -> None:
    """Registered after every other startup step, so what they loaded is what gets frozen."""
    gc.collect()
    gc.freeze()
