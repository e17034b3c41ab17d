"""How long and how much the HTTP server waits for a client, so that nobody can hold it open.

A client that sends its request head a byte at a time (slowloris) is cut off once
``HEAD_SECONDS`` have passed without a complete head: aiohttp's keep-alive timer runs from
the moment a connection opens and after each answer, and closes a connection still waiting
for a request. A body is read within ``BODY_SECONDS`` by the endpoints that read one. WeCom
sends a callback in one go, in milliseconds, so both are generous to it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web, web_response
from aiohttp.http_exceptions import HttpProcessingError

logger = logging.getLogger(__name__)

HEAD_SECONDS = 10.0
BODY_SECONDS = 10.0
# A WeCom callback's request line is a few hundred bytes and it sends a handful of headers;
# a browser opening the survey page sends about twenty. Room for proxies, nothing more.
MAX_LINE_BYTES = 4096
MAX_FIELD_BYTES = 4096
MAX_HEADERS = 48


class QuietBadRequests(logging.Filter):
    """aiohttp logs every request it cannot parse (a request line over the limit, a header
    too many, bytes that are not HTTP) as an ERROR with a traceback, so anyone could fill the
    log. They are the client's fault and answered 400 anyway: one line at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.msg = f"{record.msg}: {type(error).__name__} (answered {error.code})"
            record.exc_info, record.exc_text = None, None
        return True


def quiet_bad_requests() -> None:
    """Requests aiohttp cannot parse: a DEBUG line, and no versions in their answer."""
    _plain_default_server_header()
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, QuietBadRequests) for f in server_log.filters):
        server_log.addFilter(QuietBadRequests())


def server_options(head_seconds: float = HEAD_SECONDS) -> dict[str, Any]:
    """Keyword arguments for ``web.run_app`` and ``web.AppRunner`` serving the bot."""
    return {
        "keepalive_timeout": head_seconds,
        "max_line_size": MAX_LINE_BYTES,
        "max_field_size": MAX_FIELD_BYTES,
        "max_headers": MAX_HEADERS,
    }


SERVER_NAME = "scrm-bot"


@web.middleware
async def quiet_disconnects(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A client that hangs up mid-request (a probe, a proxy timing out, WeCom giving up) is
    routine on the internet: a line at DEBUG, not an ERROR with a traceback."""
    try:
        return await handler(request)
    except ConnectionError as exc:
        logger.debug("%s %s: the client went away (%r)", request.method, request.path, exc)
        return web.Response(status=400)  # nobody is left to read it


async def plain_server_header(request: web.Request, response: web.StreamResponse) -> None:
    # aiohttp's default names the Python and aiohttp versions: a map for anyone shopping for
    # a known vulnerability.
    response.headers["Server"] = SERVER_NAME


def _plain_default_server_header() -> None:
    # A request aiohttp cannot parse (a header over the limits, say) is answered before any
    # app sees it, with the library-wide default header: that default is set here too.
    setattr(web_response, "SERVER_SOFTWARE", SERVER_NAME)  # noqa: B010 (not exported)
