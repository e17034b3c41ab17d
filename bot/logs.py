"""Log lines as a log collector wants them (``[logging] format = "json"``), and which tenant
and update a line is about.

The inbox names the tenant and update it is handling (``handling``) for the task that
handles it; every line logged inside that task, by any module, then carries both, in text
(``[acme msg:1001]``) and in JSON (``"tenant"``, ``"update"``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_tenant: ContextVar[str] = ContextVar("log_tenant", default="")
_update: ContextVar[str] = ContextVar("log_update", default="")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s:%(handling)s %(message)s"


@contextmanager
def handling(tenant_key: str, update_key: str) -> Iterator[None]:
    tenant, update = _tenant.set(tenant_key), _update.set(update_key)
    try:
        yield
    finally:
        _tenant.reset(tenant)
        _update.reset(update)


class HandlingFilter(logging.Filter):
    """Puts the tenant and update being handled on every record (empty outside the inbox)."""

    def filter(self, record: logging.LogRecord) -> bool:
        tenant, update = _tenant.get(), _update.get()
        handling = f" [{tenant} {update}]" if tenant else ""
        record.__dict__.update(tenant=tenant, update=update, handling=handling)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("tenant", "update"):
            value = getattr(record, name, "")
            if value:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(style: str, level: int) -> None:
    """The root logger's one handler, writing ``style`` ("text" or "json") to stderr."""
    handler = logging.StreamHandler()
    handler.addFilter(HandlingFilter())
    handler.setFormatter(JsonFormatter() if style == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
