"""The ``[vendor_support]`` table: defaults, and a wrong value named by its key."""

from __future__ import annotations

from datetime import time

import pytest

from bot.config import ConfigError, parse_settings
from bot.vendor_support.settings import VendorSupportSettings, parse_vendor_support


def test_defaults_and_values() -> None:
    assert parse_vendor_support(None) == VendorSupportSettings()
    found = parse_vendor_support({"first_response_hours": 2, "desk_hours": "08:30-20:00"})
    assert (found.first_response_hours, found.desk_opens, found.desk_closes) == (
        2,
        time(8, 30),
        time(20, 0),
    )


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"first_response_hours": 0}, "vendor_support.first_response_hours"),
        ({"first_response_hours": "4"}, "vendor_support.first_response_hours"),
        ({"desk_hours": "18:00-09:00"}, "vendor_support.desk_hours"),
        ({"sla": 4}, "vendor_support.sla"),
    ],
)
def test_a_wrong_value_names_its_key(table: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"tenants": [], "vendor_support": table})
    assert key in str(caught.value)
