"""Writes of the worklist app's own records (the due items themselves are the engine's)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mace.access.policy import can_reassign_item, can_run_imports, reassign_candidates, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.configuration import services as configuration
from mace.configuration.models import SettingKey
from mace.worklist import golive
from mace.worklist.models import DueItem
from mace.worklist.notify import notify


@transaction.atomic
def go_live_record(*, actor: User | None, day: datetime.date, source: str) -> datetime.date:
    """Make the go-live an import was run with the partnership's go-live setting, when none
    is set (issue 18), as its actor (one who may run imports; None on a database with no
    administrator yet). One fact: the setting the administrators' page shows and changes,
    written through `configuration.services.settings_write` and audited with before and
    after. One already set and different is refused (ValueError): one go-live keeps the
    worklist the same whichever run last brought it in step."""
    if actor is not None:
        require(can_run_imports(actor))
    in_force = golive.go_live_held()
    if in_force is not None:
        if in_force != day:
            raise ValueError(f"the go-live in force is {in_force}, not {day}")
        return in_force
    configuration.settings_write(
        actor=actor,
        values={SettingKey.GO_LIVE_DATE: day.isoformat()},
        summary=f"Go-live recorded: {day.isoformat()} ({source})",
    )
    return day


@transaction.atomic
def item_reassign(*, actor: User, item: DueItem, to: User) -> DueItem:
    """Give an open due item to someone else (issue 19): a missing coordinator or manager
    (policy.can_reassign_item), to one of the item's candidates (policy.reassign_candidates).
    Audited; the new owner is told. Anyone else is refused with a ValidationError saying so.
    The item still closes when its rule says it is done."""
    # Only the item's row is locked: PostgreSQL locks no row on the nullable side of a join.
    item = (
        DueItem.objects.select_for_update(of=("self",))
        .select_related("child", "assignee")
        .get(pk=item.pk)
    )
    require(can_reassign_item(actor, item))
    if not reassign_candidates(actor, item).filter(pk=to.pk).exists():
        raise ValidationError(
            {"to": "Choose someone from the list: they must be able to do this and see the child"}
        )
    before = {"reassigned_to_id": item.reassigned_to_id}
    item.reassigned_to = to
    item.reassigned_by = actor
    item.reassigned_at = timezone.now()
    item.save(update_fields=["reassigned_to", "reassigned_by", "reassigned_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="worklist.dueitem",
        object_id=str(item.public_id),
        child_id=item.child.public_id if item.child is not None else None,
        summary=f"Reassigned {item.rule} item to user {to.pk}",
        before=before,
        after={"reassigned_to_id": to.pk},
    )
    subject = item.child.reference if item.child is not None else "a panel meeting"
    notify(
        user=to,
        kind="reassigned",
        title=f"Given to you, for {subject}: {item.title}",
        url=reverse("worklist:mine"),
        child=item.child,
        due_item=item,
    )
    return item
