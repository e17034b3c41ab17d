"""How long and how much the HTTP server waits for a client, so that nobody can hold it open.

A client that sends its request head a byte at a time (slowloris) is cut off once
``HEAD_SECONDS`` have passed without a complete head: aiohttp's keep-alive timer runs from
the moment a connection opens and after each answer, and closes a connection still waiting
for a request. A body is read within ``BODY_SECONDS`` by the endpoints that read one. WeCom
sends a callback in one go, in milliseconds, so both are generous to it.
"""

from __future__ import annotations

from typing import Any

HEAD_SECONDS = 10.0
BODY_SECONDS = 10.0
# A WeCom callback's request line is a few hundred bytes and it sends a handful of headers;
# a browser opening the survey page sends about twenty. Room for proxies, nothing more.
MAX_LINE_BYTES = 4096
MAX_FIELD_BYTES = 4096
MAX_HEADERS = 48


def server_options(head_seconds: float = HEAD_SECONDS) -> dict[str, Any]:
    """Keyword arguments for ``web.run_app`` and ``web.AppRunner`` serving the bot."""
    return {
        "keepalive_timeout": head_seconds,
        "max_line_size": MAX_LINE_BYTES,
        "max_field_size": MAX_FIELD_BYTES,
        "max_headers": MAX_HEADERS,
    }
