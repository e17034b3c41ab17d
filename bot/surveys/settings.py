"""The optional ``[surveys]`` config table, with per-tenant overrides.

```toml
[surveys]
kind = "csat"                  # or "nps"
question = ""                  # empty: the template's own question
reminder_after_hours = 24      # 0: never remind
expire_after_days = 7
on_followup_done = false       # survey WeChat customers when their follow-up is marked done

[surveys.tenants.demo]         # any of the keys above, for one tenant
question = "您对本次服务满意吗？"
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from models.surveys import SurveyKind

KNOWN_KEYS = (
    "kind",
    "question",
    "reminder_after_hours",
    "expire_after_days",
    "on_followup_done",
)


class SurveyConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class SurveyTemplate:
    """What one tenant's surveys ask and how long they stay open."""

    kind: SurveyKind = SurveyKind.CSAT
    question: str = ""
    reminder_after_hours: int = 24
    expire_after_days: int = 7
    on_followup_done: bool = False


@dataclass(frozen=True, slots=True)
class SurveySettings:
    default: SurveyTemplate = field(default_factory=SurveyTemplate)
    tenants: Mapping[str, SurveyTemplate] = field(default_factory=dict)

    def for_tenant(self, tenant_key: str) -> SurveyTemplate:
        return self.tenants.get(tenant_key, self.default)


def parse_surveys(raw: object) -> SurveySettings:
    if raw is None:
        return SurveySettings()
    if not isinstance(raw, Mapping):
        raise SurveyConfigError("surveys", "a table")
    default = _template(raw, "surveys", SurveyTemplate(), allow=("tenants",))
    overrides = raw.get("tenants", {})
    if not isinstance(overrides, Mapping):
        raise SurveyConfigError("surveys.tenants", "a table of tenant keys")
    tenants: dict[str, SurveyTemplate] = {}
    for key, table in overrides.items():
        path = f"surveys.tenants.{key}"
        if not isinstance(table, Mapping):
            raise SurveyConfigError(path, "a table")
        tenants[str(key)] = _template(table, path, default, allow=())
    return SurveySettings(default=default, tenants=tenants)


def _template(
    data: Mapping[str, Any], path: str, base: SurveyTemplate, *, allow: tuple[str, ...]
) -> SurveyTemplate:
    for key in data:
        if key not in KNOWN_KEYS and key not in allow:
            raise SurveyConfigError(f"{path}.{key}", f"one of {', '.join(KNOWN_KEYS)}")
    kind = data.get("kind", base.kind.value)
    if kind not in {k.value for k in SurveyKind}:
        raise SurveyConfigError(f"{path}.kind", f'"csat" or "nps", got {kind!r}')
    question = data.get("question", base.question)
    if not isinstance(question, str) or len(question) > 200:
        raise SurveyConfigError(f"{path}.question", "a text of at most 200 characters")
    on_followup_done = data.get("on_followup_done", base.on_followup_done)
    if not isinstance(on_followup_done, bool):
        raise SurveyConfigError(f"{path}.on_followup_done", "true or false")
    return replace(
        base,
        kind=SurveyKind(kind),
        question=question.strip(),
        reminder_after_hours=_integer(data, path, "reminder_after_hours", base, 0, 24 * 30),
        expire_after_days=_integer(data, path, "expire_after_days", base, 1, 90),
        on_followup_done=on_followup_done,
    )


def _integer(
    data: Mapping[str, Any], path: str, name: str, base: SurveyTemplate, low: int, high: int
) -> int:
    value = data.get(name, getattr(base, name))
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SurveyConfigError(f"{path}.{name}", f"a whole number from {low} to {high}")
    return value
