"""The optional ``[provider]`` config table.

```toml
[provider]
usage_retention_days = 180   # raw usage events older than this are deleted; roll-ups stay
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Long enough for a half-year trend and to rebuild a quarter's roll-ups; short enough that
# the one table written on every command stays small.
DEFAULT_RETENTION_DAYS = 180


class ProviderConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    usage_retention_days: int = DEFAULT_RETENTION_DAYS


def parse_provider(raw: object) -> ProviderSettings:
    if raw is None:
        return ProviderSettings()
    if not isinstance(raw, Mapping):
        raise ProviderConfigError("provider", "a table ([provider])")
    table: Mapping[str, Any] = raw
    unknown = sorted(set(table) - {"usage_retention_days"})
    if unknown:
        raise ProviderConfigError(f"provider.{unknown[0]}", "usage_retention_days only")
    days = table.get("usage_retention_days", DEFAULT_RETENTION_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise ProviderConfigError(
            "provider.usage_retention_days", f"a number of days from 1 to 3650, got {days!r}"
        )
    return ProviderSettings(usage_retention_days=days)
