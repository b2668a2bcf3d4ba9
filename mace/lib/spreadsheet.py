"""Cells for CSV and xlsx files that people open in a spreadsheet (issue 8, OWASP CSV
injection): text that a spreadsheet would run as a formula gets a leading apostrophe, so it
shows as the text it is. Numbers, dates and other values pass through unchanged."""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
