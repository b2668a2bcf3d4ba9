"""Writes of the worklist app's own records (the due items themselves are the engine's)."""

import datetime

from django.db import transaction

from mace.access.policy import can_run_imports, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.worklist import golive
from mace.worklist.models import RecordedGoLive


@transaction.atomic
def go_live_record(*, actor: User | None, day: datetime.date, source: str) -> RecordedGoLive:
    """Record the go-live an import was run with, when none is set or recorded (issue 18),
    as its actor (one who may run imports; None on a database with no administrator yet).
    One already in force and different is refused (ValueError): one go-live keeps the
    worklist the same whichever run last brought it in step."""
    if actor is not None:
        require(can_run_imports(actor))
    in_force = golive.go_live_held()
    if in_force is not None and in_force != day:
        raise ValueError(f"the go-live in force is {in_force}, not {day}")
    held = RecordedGoLive.objects.select_for_update().first()
    if held is not None:
        return held
    recorded = RecordedGoLive.objects.create(day=day, recorded_by=actor, source=source)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=recorded,
        summary=f"Go-live recorded: {day.isoformat()} ({source})",
        after={"day": day.isoformat(), "source": source},
    )
    return recorded
