"""Changing the partnership's settings: each change checked, stored and audited with the
values before and after, in one transaction (issue 18 point 5)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mace.access.policy import can_configure, require
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.configuration import store
from mace.configuration.domain import clean_value
from mace.configuration.models import PartnershipSetting, SettingKey
from mace.configuration.registry import DEFINITIONS, Kind

OBJECT_TYPE = "configuration.partnershipsetting"


def _forget_now_and_on_commit() -> None:
    store.forget()
    transaction.on_commit(store.forget)


@transaction.atomic
def settings_change(*, actor: User, values: dict[str, Any]) -> list[str]:
    """Set each setting in `values` (by key) to its value; returns the keys that changed.

    Every value is checked first; any error changes nothing and the ValidationError names
    each setting by its key. A value equal to the one in force changes nothing.
    """
    require(can_configure(actor))
    return settings_write(actor=actor, values=values)


@transaction.atomic
def settings_write(
    *, actor: User | None, values: dict[str, Any], summary: str | None = None
) -> list[str]:
    """As `settings_change`, for a caller that has made its own access decision: the
    go-live an import records (`worklist.services.go_live_record`, for those who may run
    imports). Checked, stored and audited with before and after as the settings pages are;
    `actor` is None on a database with no administrator yet. `summary` names the event
    (by default "Changed the partnership's settings: ..."). Returns the keys that changed."""
    definitions = {key: DEFINITIONS[str(key)] for key in values}
    agencies: set[str] = set()
    if any(d.kind is Kind.AGENCY for d in definitions.values()):
        agencies = set(Agency.objects.values_list("name", flat=True))
    usernames: set[str] = set()
    named = [str(raw).strip() for k, raw in values.items() if definitions[k].kind is Kind.USERNAME]
    if named:
        usernames = set(
            User.objects.filter(is_active=True, username__in=named).values_list(
                "username", flat=True
            )
        )
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        try:
            cleaned[str(key)] = clean_value(
                definitions[key], raw, agencies=agencies, usernames=usernames
            )
        except ValidationError as exc:
            errors[str(key)] = exc.messages
    if errors:
        raise ValidationError(errors)
    held = {
        row.key: row
        for row in PartnershipSetting.objects.select_for_update().filter(key__in=list(cleaned))
    }
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, new in cleaned.items():
        old = held[key].value if key in held else DEFINITIONS[key].default()
        if old == new:
            continue
        before[key], after[key] = old, new
        PartnershipSetting.objects.update_or_create(
            key=key, defaults={"value": new, "changed_by": actor}
        )
    if after:
        labels = ", ".join(DEFINITIONS[key].label for key in after)
        # The page's group names the event (before and after name each setting): a list of
        # keys would not fit the audit trail's object_id.
        groups = {DEFINITIONS[key].group.value for key in after}
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            object_type=OBJECT_TYPE,
            object_id=groups.pop() if len(groups) == 1 else "several",
            summary=summary or f"Changed the partnership's settings: {labels}",
            before=before,
            after=after,
        )
    _forget_now_and_on_commit()
    return list(after)


@transaction.atomic
def setting_reset(*, actor: User, key: SettingKey | str) -> bool:
    """Go back to the default from the environment; False if it was the default already."""
    require(can_configure(actor))
    definition = DEFINITIONS[str(key)]
    row = PartnershipSetting.objects.select_for_update().filter(key=str(key)).first()
    if row is None:
        return False
    before = {definition.key.value: row.value}
    row.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type=OBJECT_TYPE,
        object_id=definition.key.value,
        summary=f"Reset {definition.label} to its default",
        before=before,
        after={definition.key.value: definition.default()},
    )
    _forget_now_and_on_commit()
    return True
