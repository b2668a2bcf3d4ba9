"""The audit trail is append-only and searchable by child and by user (C11)."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from mace.accounts.models import Role
from mace.audit.models import AppendOnlyError, AuditEvent
from mace.audit.services import audit_event, audit_events_insert, audit_record
from mace.people import services
from mace.people.tests.factories import ChildFactory


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_django(users):
    event = audit_record(actor=users[Role.MANAGER], action="view", object_type="people.child")
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _orm_update(event):
    # The base manager's plain QuerySet skips the model's own refusal: the database must refuse.
    AuditEvent._base_manager.filter(pk=event.pk).update(summary="tampered")


def _orm_delete(event):
    AuditEvent._base_manager.filter(pk=event.pk).delete()


def _sql(statement):
    def run(event):
        with connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])

    return run


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        _orm_update,
        _orm_delete,
        _sql("UPDATE audit_auditevent SET summary = 'tampered' WHERE id = %s"),
        _sql("DELETE FROM audit_auditevent WHERE id = %s"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_the_database_refuses_to_change_or_delete_audit_events_on_sqlite_and_postgresql(
    tamper, users
):
    """PostgreSQL refuses by a trigger function, SQLite by its own triggers (audit 0002, 0003)."""
    event = audit_record(actor=users[Role.MANAGER], action="view", object_type="people.child")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper(event)
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.summary == event.summary
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_audit_trail_and_the_refusal_holds_after_it(users):
    """Django's test flush (and `manage.py flush`) may empty the audit table on SQLite as
    TRUNCATE does on PostgreSQL; nothing else may delete from it, before or after."""
    audit_record(actor=users[Role.MANAGER], action="view", object_type="people.child")
    call_command("flush", verbosity=0, interactive=False)
    assert AuditEvent.objects.count() == 0
    event = audit_record(actor=None, action="view", object_type="people.child")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _orm_delete(event)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.fixture
def history(users, team):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team, first_name="Kai", last_name="Rowe")
    other = ChildFactory(allocated_worker=worker, team=team, last_name="Lindqvist")
    services.child_update(actor=worker, child=child, expected_version=1, school="Hillside")
    services.child_update(actor=worker, child=other, expected_version=1, school="Brookfield")
    return child, other


@pytest.mark.django_db
def test_managers_search_by_child_name_and_reference(users, history, client_for):
    _child, other = history
    client = client_for(users[Role.MANAGER])
    page = client.post("/audit/", {"child": "Kai Rowe"}).content.decode()
    assert "Changed details" in page
    assert "Hillside" in page
    assert "Brookfield" not in page
    by_reference = client.post("/audit/", {"child": other.reference}).content.decode()
    assert "Brookfield" in by_reference
    assert "Hillside" not in by_reference


@pytest.mark.django_db
def test_auditors_search_by_child_reference(users, history, client_for):
    child, other = history
    client = client_for(users[Role.AUDITOR])
    page = client.post("/audit/", {"child": other.reference}).content.decode()
    assert page.count("Changed details") == 1
    assert other.reference in page
    assert child.reference not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_search_by_user(role, users, history, client_for):
    client = client_for(users[role])
    page = client.post("/audit/", {"username": users[Role.SOCIAL_WORKER].username}).content.decode()
    assert page.count("Changed details") == 2
    assert ("Hillside" in page and "Brookfield" in page) == (role == Role.MANAGER)
    nobody = client.post("/audit/", {"username": users[Role.POLICE_OFFICER].username})
    assert "Changed details" not in nobody.content.decode()


@pytest.mark.django_db
def test_empty_search_says_what_to_enter(users, client_for):
    page = client_for(users[Role.AUDITOR]).post("/audit/", {}).content.decode()
    assert "Enter a child or a username" in page


@pytest.mark.django_db
def test_events_inserted_together_read_back_as_saved_one_by_one(users):
    """`audit_events_insert` (COPY on PostgreSQL, the tracker import's way) writes the same
    events, in their order, as saving each."""
    actor = users[Role.MISSING_COORDINATOR]
    child_id = uuid.uuid4()

    def events(reason):
        return [
            audit_event(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                object_type="people.child",
                object_id=f"obj-{n}",
                child_id=child_id,
                summary=f"Imported: it's row {n}, with \t a tab and \\ a backslash",
                before=None if n else {"name": "O'Neill", "list": [1, 2], "none": None},
                after={"n": n, "text": "line\nbreak", "nested": {"é": True}},
                reason=reason,
            )
            for n in range(3)
        ]

    for event in events("one by one"):
        event.event().save()
    audit_events_insert(events("together"))
    audit_events_insert([])

    def read(reason):
        return list(
            AuditEvent.objects.filter(reason=reason)
            .order_by("id")
            .values_list(
                "actor_id",
                "actor_username",
                "action",
                "object_type",
                "object_id",
                "child_id",
                "summary",
                "before",
                "after",
            )
        )

    assert read("together") == read("one by one")
    assert len(read("together")) == 3
    assert all(e.at is not None for e in AuditEvent.objects.filter(reason="together"))
