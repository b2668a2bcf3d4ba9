"""System checks of the worklist's settings that need the database (issue 18).

Registered with the database tag: `manage.py check --database default` and `migrate` run
them; the deployment check (`check --deploy`, which has no database) does not.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def escalation_fallback_named(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """ESCALATION_FALLBACK_USERNAME should name an active user: the person an overdue item
    escalates to when there is no active manager."""
    from mace.worklist.scheduled import escalation_fallback

    if not kwargs.get("databases"):
        return []
    username = settings.ESCALATION_FALLBACK_USERNAME
    try:
        found = escalation_fallback()
    except DatabaseError:
        return []  # not migrated yet: nothing to check against
    if found is not None:
        return []
    if not username:
        message = "ESCALATION_FALLBACK_USERNAME is not set"
    else:
        message = f"ESCALATION_FALLBACK_USERNAME names no active user ({username!r})"
    return [
        Warning(
            message,
            hint=(
                "Set ESCALATION_FALLBACK_USERNAME to the username of an active account: "
                "overdue items escalate to them when there is no active manager."
            ),
            id="worklist.W001",
        )
    ]
