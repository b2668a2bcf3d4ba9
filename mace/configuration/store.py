"""Reading the partnership's settings: the value an administrator set in MACE, else the
default from the environment (mace/settings.py). Every reader goes through `value`.

The rows changed from their defaults are read in one query and kept in the process until
the next request starts (apps.py connects `forget` to request_started), a write in this
process (the services call `forget`, and again when the transaction commits), or MAX_AGE
seconds have passed (for long-running work outside requests, such as a long import). So a
request or a run of the scheduled checks reads the table at most once, however often it
asks `thresholds()`, and every process sees a change by its next request. What a reader
builds from the settings (`thresholds()`'s dataclass) is kept with them (`derived`) and
forgotten with them, and when a Django setting changes (tests' override_settings).
"""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from mace.configuration.models import PartnershipSetting, SettingKey
from mace.configuration.registry import DEFINITIONS

MAX_AGE = 60.0

_overrides: dict[str, Any] | None = None
_loaded_at = 0.0
_derived: dict[str, Any] = {}

T = TypeVar("T")


def forget(**_: Any) -> None:
    """Read the table again at the next `value` (a signal receiver too)."""
    global _overrides
    _overrides = None
    _derived.clear()


def overrides() -> dict[str, Any]:
    """The settings changed in MACE, by key."""
    global _overrides, _loaded_at
    now = time.monotonic()
    if _overrides is None or now - _loaded_at > MAX_AGE:
        _derived.clear()
        _overrides = dict(PartnershipSetting.objects.values_list("key", "value"))
        _loaded_at = now
    return _overrides


def value(key: SettingKey | str) -> Any:
    """The setting's value: as set in MACE, else its default from the environment."""
    held = overrides()
    if key in held:  # a SettingKey is its str value, for look-ups too
        return held[key]
    return DEFINITIONS[key].default()


def is_default(key: SettingKey | str) -> bool:
    return key not in overrides()


def derived(name: str, build: Callable[[], T]) -> T:
    """`build()`, made from the settings, kept until they are read again."""
    overrides()  # drops what was derived if the settings are due to be read again
    if name not in _derived:
        _derived[name] = build()
    result: T = _derived[name]
    return result
