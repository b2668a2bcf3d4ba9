"""Checking a value for a setting before it is stored: one message per setting, naming the
setting and what to fix. No query: the service passes the agencies that exist."""

import datetime
import re
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError

from mace.configuration.registry import (
    GRADES,
    WEEKDAYS,
    WHOLE_NUMBERS,
    Definition,
    Kind,
    unit,
)
from mace.lib.quoting import quoted

ONS_CODE = re.compile(r"^[EW]\d{8}$")
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
TEXT_LIMIT = 200
ADDRESS_LINES = 8


def _lower(label: str) -> str:
    """ "Safe-and-well check (T5)" as it reads mid-sentence: "safe-and-well check (T5)"."""
    return label[:1].lower() + label[1:]


def _whole_number(definition: Definition, raw: Any) -> int:
    label = definition.label
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise ValidationError(f"Enter {_lower(label)}")
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(f"{label} must be a whole number, like {definition.default()}")
    number = int(text)
    if number < definition.minimum:
        raise ValidationError(f"{label} must be {definition.minimum} or more")
    if number > definition.maximum:
        raise ValidationError(f"{label} must be {definition.maximum:,} or fewer")
    return number


def clean_value(
    definition: Definition,
    raw: Any,
    *,
    agencies: Collection[str] = (),
    usernames: Collection[str] = (),
) -> Any:
    """The value to store, or ValidationError saying what to fix. `agencies` are the names
    of the agencies in MACE, `usernames` those of its active users (the service reads them)."""
    label = definition.label
    kind = definition.kind
    if kind in WHOLE_NUMBERS:
        return _whole_number(definition, raw)
    if kind is Kind.GRADE:
        if raw not in GRADES.values:
            raise ValidationError(f"Select {_lower(label)}")
        return str(raw)
    if kind is Kind.AGENCY:
        name = str(raw or "").strip()
        if not name:
            raise ValidationError(f"Select the provider for {_lower(label)}")
        if name not in agencies:
            raise ValidationError(
                f"{label}: {quoted(name)} is not an agency in MACE. Add it under Agencies first"
            )
        return name
    if kind is Kind.ONS_CODE:
        code = str(raw or "").strip().upper()
        if not code:
            raise ValidationError(f"Enter the {_lower(label)}")
        if not ONS_CODE.match(code):
            raise ValidationError(f"{label} must be E or W and 8 numbers, like E09000002")
        return code
    if kind is Kind.TEXT:
        text = str(raw or "").strip()
        if not text and not definition.optional:
            raise ValidationError(f"Enter {_lower(label)}")
        if len(text) > TEXT_LIMIT:
            raise ValidationError(f"{label} must be {TEXT_LIMIT} characters or fewer")
        return text
    if kind is Kind.LINES:
        lines = raw.splitlines() if isinstance(raw, str) else list(raw or ())
        lines = [str(line).strip() for line in lines if str(line).strip()]
        if len(lines) > ADDRESS_LINES:
            raise ValidationError(f"{label} must be {ADDRESS_LINES} lines or fewer")
        if any(len(line) > TEXT_LIMIT for line in lines):
            raise ValidationError(
                f"Each line of {_lower(label)} must be {TEXT_LIMIT} characters or fewer"
            )
        return lines
    if kind is Kind.DATE:
        if raw in (None, ""):
            return ""
        if isinstance(raw, str):
            try:
                raw = datetime.date.fromisoformat(raw)
            except ValueError:
                raise ValidationError(f"{label} must be a real date") from None
        if not isinstance(raw, datetime.date) or not 2000 <= raw.year <= 2100:
            raise ValidationError(f"{label} must be a real date between 2000 and 2100")
        return raw.isoformat()
    if kind is Kind.USERNAME:
        username = str(raw or "").strip()
        if not username:
            raise ValidationError(f"Enter the {_lower(label)}")
        if username not in usernames:
            raise ValidationError(
                f"{label}: {quoted(username)} is not the username of an active user in MACE"
            )
        return username
    if kind is Kind.WEEKDAY:
        text = str(raw if raw is not None else "").strip()
        if text not in {str(day) for day in range(7)}:
            raise ValidationError(f"Select the {_lower(label)}")
        return int(text)
    if kind is Kind.TIME:
        found = TIME.match(str(raw or "").strip())
        if not found:
            raise ValidationError(f"{label} must be a time like 14:00")
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour > 23 or minute > 59:
            raise ValidationError(f"{label} must be a real time, from 00:00 to 23:59")
        return f"{hour:02d}:{minute:02d}"
    raise ValueError(kind)  # pragma: no cover - every Kind is handled above


def shown(definition: Definition, value: Any) -> str:
    """The value as the overview page shows it."""
    kind = definition.kind
    if kind in WHOLE_NUMBERS:
        return f"{value} {unit(definition)}".strip()
    if kind is Kind.GRADE:
        return str(GRADES(value).label) if value in GRADES.values else str(value)
    if kind is Kind.LINES:
        return ", ".join(value) if value else "None"
    if kind is Kind.DATE:
        if not value:
            return "Not set"
        return datetime.date.fromisoformat(value).strftime("%-d %B %Y")
    if kind is Kind.WEEKDAY:
        return WEEKDAYS[int(value)] if str(value).isdigit() and int(value) < 7 else str(value)
    return str(value) if value else "None"
