"""Writing the audit trail. Services call `audit_record` inside their own transaction."""

import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from mace.accounts.models import User
from mace.audit.models import AuditEvent

# Values already plain JSON, by exact type (a choice, a str subclass, takes the long way).
_AS_IS = frozenset({str, int, bool, float, type(None), list, dict})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The instance's concrete field values as plain JSON, for before and after."""
    return snapshot_of(instance, _snapshot_attnames(type(instance), frozenset(exclude)))


def snapshot_of(instance: models.Model, attnames: Iterable[str]) -> dict[str, Any]:
    """These columns of the instance as plain JSON, as `snapshot` gives them: for a change
    known to touch only these (the tracker import's interview outcome, four thousand a run)."""
    return {attname: _plain(getattr(instance, attname)) for attname in attnames}


@functools.cache
def _snapshot_attnames(model: type[models.Model], exclude: frozenset[str]) -> tuple[str, ...]:
    """The columns a snapshot holds: all but the timestamps and those excluded (by name)."""
    skip = {"created_at", "updated_at", *exclude}
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in skip)


def changed_only(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    child_id: uuid.UUID | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        summary=summary,
        before=before,
        after=after,
        reason=reason,
    ).event()
    event.save()
    return event


@dataclass(slots=True)
class AuditRow:
    """An audit event not yet written, as plain values: what `audit_event` gives a bulk writer
    (the tracker import makes about four a row, and a model instance each cost a sixth of
    its time in `Model.__init__`). `audit_events_insert` writes many at once; `event()` is
    the `AuditEvent` to save on its own."""

    actor_id: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str
    child_id: uuid.UUID | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str

    def event(self) -> AuditEvent:
        return AuditEvent(
            actor_id=self.actor_id,
            actor_username=self.actor_username,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            child_id=self.child_id,
            summary=self.summary,
            before=self.before,
            after=self.after,
            reason=self.reason,
        )


def audit_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    child_id: uuid.UUID | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditRow:
    """The event `audit_record` writes, not yet saved: for a bulk writer (the tracker
    import) that writes many with one `audit_events_insert`, in the same transaction as the
    changes they record."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", obj.pk))
    return AuditRow(
        actor_id=actor.pk if actor is not None else None,
        actor_username=actor.username if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        summary=summary[:300],
        before=before,
        after=after,
        reason=reason,
    )


# The columns `audit_events_insert` copies, in order.
_COPIED = (
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "child_id",
    "summary",
    "before",
    "after",
    "reason",
)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def audit_events_insert(events: Sequence[AuditRow]) -> None:
    """Write many events (from `audit_event`) at once, in their order, in the caller's
    transaction, all at one time (as one statement): on PostgreSQL by COPY, which is several
    times quicker than an INSERT of the same rows (the tracker import writes about four
    events a row); elsewhere with one `bulk_create`."""
    if not events:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create([event.event() for event in events])
        return
    now = timezone.now()
    columns = ", ".join(f'"{column}"' for column in _COPIED)
    table = AuditEvent._meta.db_table
    with (
        connection.wrap_database_errors,  # Django's error classes, as for any query
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f'COPY "{table}" ({columns}) FROM STDIN'  # names from the model only
        ) as copy,
    ):
        for event in events:
            copy.write_row(
                (
                    now,
                    event.actor_id,
                    event.actor_username,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.child_id,
                    event.summary,
                    _json(event.before),
                    _json(event.after),
                    event.reason,
                )
            )


# The table whose row lets `audit_redact_children` through on SQLite (audit migration 0004).
_REDACTION_MARKER = "audit_redaction_allowed"


def audit_redact(
    *, child_ids: Sequence[uuid.UUID] = (), records: Sequence[tuple[str, str]] = ()
) -> int:
    """Redact the values the audit trail holds about purged records (issue 20 point 1): the
    `before`, `after` and `reason` of every event whose `child_id` is one of `child_ids`, or
    whose record type and opaque id are one of `records`. The one change the database lets
    through (audit migration 0004), and only from here, in the caller's transaction (the
    purge's). Returns how many events were redacted."""
    if not child_ids and not records:
        return 0
    table = AuditEvent._meta.db_table
    field = AuditEvent._meta.get_field("child_id")
    where: list[str] = []
    params: list[Any] = []
    if child_ids:
        where.append(f'"child_id" IN ({", ".join(["%s"] * len(child_ids))})')
        params += [field.get_db_prep_value(child_id, connection) for child_id in child_ids]
    for object_type, object_id in records:
        where.append('("object_type" = %s AND "object_id" = %s)')
        params += [object_type, object_id]
    # No try/finally: if the UPDATE fails, the caller's transaction rolls back, and both the
    # setting (transaction-local) and the marker row go with it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('mace.audit_redaction', 'on', true)")
        else:
            cursor.execute(f"INSERT INTO {_REDACTION_MARKER} (redacting) VALUES (1)")  # noqa: S608
        cursor.execute(
            f'UPDATE "{table}" SET "before" = NULL, "after" = NULL, "reason" = \'\' '  # noqa: S608
            f"WHERE ({' OR '.join(where)}) "
            f'AND ("before" IS NOT NULL OR "after" IS NOT NULL OR "reason" <> \'\')',
            params,
        )
        count = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('mace.audit_redaction', '', true)")
        else:
            cursor.execute(f"DELETE FROM {_REDACTION_MARKER}")  # noqa: S608
    return count
