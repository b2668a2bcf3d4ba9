"""The one change the append-only audit trail allows (audit migration 0004, issue 20 point 1):
emptying the values of events about a purged record, from `audit_redact`, in a transaction.
Everything else is still refused, on SQLite and PostgreSQL."""

import uuid

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, audit_redact

pytestmark = pytest.mark.django_db


def _event(users, child_id, **values):
    return audit_record(
        actor=users[Role.MANAGER],
        action=AuditEvent.Action.CHANGE,
        object_type="people.child",
        object_id=str(child_id),
        child_id=child_id,
        summary="Changed the child's details",
        before={"first_name": "Kai"},
        after={"first_name": "Kairo"},
        reason="Spelling of the name",
        **values,
    )


def test_redaction_empties_the_values_of_the_childs_events_and_keeps_the_rest(users):
    child_id, other_id = uuid.uuid4(), uuid.uuid4()
    event = _event(users, child_id)
    other = _event(users, other_id)
    with transaction.atomic():
        assert audit_redact(child_ids=[child_id]) == 1
    event.refresh_from_db()
    assert (event.before, event.after, event.reason) == (None, None, "")
    assert event.summary == "Changed the child's details"
    assert (event.actor, event.action, event.child_id) == (
        users[Role.MANAGER],
        AuditEvent.Action.CHANGE,
        child_id,
    )
    other.refresh_from_db()
    assert other.after == {"first_name": "Kairo"}


def test_redaction_by_record_type_and_opaque_id(users):
    note_id = str(uuid.uuid4())
    event = audit_record(
        actor=users[Role.MANAGER],
        action=AuditEvent.Action.CREATE,
        object_type="intelligence.intelligencenote",
        object_id=note_id,
        after={"text": "Seen with an older male"},
    )
    with transaction.atomic():
        audit_redact(records=[("intelligence.intelligencenote", note_id)])
    event.refresh_from_db()
    assert event.after is None


def test_redaction_is_refused_outside_the_service(users):
    """The same UPDATE, without the service's permission, is refused as before."""
    event = _event(users, uuid.uuid4())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run(EMPTY_VALUES, event.pk)
    event.refresh_from_db()
    assert event.after == {"first_name": "Kairo"}


def _run(statement, pk, *, allowed=False):
    """Run `statement` on one event, with the redaction's permission when `allowed`."""
    with connection.cursor() as cursor:
        if allowed and connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('mace.audit_redaction', 'on', true)")
        elif allowed:
            cursor.execute("INSERT INTO audit_redaction_allowed (redacting) VALUES (1)")
        cursor.execute(statement, [pk])


EMPTY_VALUES = "UPDATE audit_auditevent SET before = NULL, after = NULL, reason = '' WHERE id = %s"


@pytest.mark.parametrize(
    "change",
    [
        "summary = 'tampered'",
        "before = NULL, after = NULL, reason = '', summary = 'tampered'",
        "before = NULL, after = NULL, reason = '', actor_username = 'someone'",
        "before = NULL, after = NULL, reason = 'a new reason'",
    ],
)
def test_even_while_redacting_only_the_values_may_change_and_only_to_empty(users, change):
    event = _event(users, uuid.uuid4())
    statement = f"UPDATE audit_auditevent SET {change} WHERE id = %s"  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run(statement, event.pk, allowed=True)
    event.refresh_from_db()
    assert event.summary == "Changed the child's details"
    assert event.after == {"first_name": "Kairo"}


def test_deleting_stays_refused_while_redacting(users):
    event = _event(users, uuid.uuid4())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run("DELETE FROM audit_auditevent WHERE id = %s", event.pk, allowed=True)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_permission_ends_with_the_redaction(users):
    child_id = uuid.uuid4()
    _event(users, child_id)
    later = _event(users, uuid.uuid4())
    with transaction.atomic():
        audit_redact(child_ids=[child_id])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _run(EMPTY_VALUES, later.pk)
    later.refresh_from_db()
    assert later.after == {"first_name": "Kairo"}
