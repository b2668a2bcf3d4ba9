"""System checks of the worklist's settings that need the database (issue 18).

Registered with the database tag: `manage.py check --database default` and `migrate` run
them; the deployment check (`check --deploy`, which has no database) does not.
"""

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def escalation_fallback_named(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """The escalation fallback (/settings/escalation/, else ESCALATION_FALLBACK_USERNAME)
    should name an active user: the person an overdue item escalates to when there is no
    active manager."""
    from mace.configuration import store
    from mace.configuration.models import SettingKey
    from mace.worklist.scheduled import escalation_fallback

    if not kwargs.get("databases"):
        return []
    try:
        username = store.value(SettingKey.ESCALATION_FALLBACK_USERNAME)
        found = escalation_fallback()
    except DatabaseError:
        return []  # not migrated yet: nothing to check against
    if found is not None:
        return []
    if not username:
        message = "The escalation fallback (ESCALATION_FALLBACK_USERNAME) is not set"
    else:
        message = f"The escalation fallback names no active user ({username!r})"
    return [
        Warning(
            message,
            hint=(
                "Name an active account at /settings/escalation/ (or set "
                "ESCALATION_FALLBACK_USERNAME): overdue items escalate to them when there is "
                "no active manager."
            ),
            id="worklist.W001",
        )
    ]
