"""`backup` and `restore` on the database the suite runs on (PostgreSQL or SQLite): restore
brings back every table exactly; a bad file changes nothing (issue 8)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mace.audit.models import AuditEvent
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.episodes.services import episode_report
from mace.people.models import Child
from mace.people.services import child_update
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)


def every_table() -> dict[str, list[str]]:
    """Each table's rows, as text, in a stable order: what a restore must bring back."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            snapshot[table] = sorted(repr(row) for row in cursor.fetchall())
    return snapshot


@pytest.fixture
def records(users, team):
    coordinator = users["missing_coordinator"]
    children = [
        ChildFactory.create(
            team=team,
            last_name=f"Thistlewood-{n}",
            date_of_birth=datetime.date(2011, 2, 1) + datetime.timedelta(days=n * 30),
        )
        for n in range(3)
    ]
    for child in children:
        episode_report(
            actor=coordinator,
            child=child,
            kind=EpisodeKind.MISSING,
            missing_from=MissingFrom.HOME,
            last_seen_at=timezone.now() - datetime.timedelta(hours=6),
            risk_grade="medium",
        )
    return children


def test_restore_brings_back_every_table_as_it_was(records, users, tmp_path):
    before = every_table()
    assert sum(len(rows) for rows in before.values()) > 50
    out = tmp_path / "mace.backup"

    call_command("backup", out=out)

    # Life goes on after the backup: a new child, a changed record, more audit.
    ChildFactory.create(last_name="Ormerod-Vane", date_of_birth=datetime.date(2012, 5, 5))
    first = Child.objects.get(pk=records[0].pk)
    child_update(
        actor=users["missing_coordinator"],
        child=first,
        expected_version=first.version,
        school="Hollins Park",
    )
    assert every_table() != before

    call_command("restore", str(out), yes=True)

    after = every_table()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # And the database works as before: new rows take fresh ids.
    ChildFactory.create(last_name="Quennell", date_of_birth=datetime.date(2012, 6, 6))


def test_the_audit_trail_is_still_append_only_after_a_restore(records, tmp_path):
    """The restore replaces the audit table with the backup's and keeps the database's
    refusal to change or delete its rows (audit migrations 0002 and 0003)."""
    out = tmp_path / "mace.backup"
    call_command("backup", out=out)
    call_command("restore", str(out), yes=True)
    kept = AuditEvent.objects.count()
    assert kept > 0
    for statement in ("UPDATE audit_auditevent SET summary = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == kept
    assert not AuditEvent.objects.filter(summary="x").exists()


def test_restore_needs_confirmation(records, tmp_path):
    out = tmp_path / "mace.backup"
    call_command("backup", out=out)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(out))


@pytest.mark.parametrize(
    "content",
    [b"", b"not a backup at all\n", b"SQLite format 3\x00" + b"\x00" * 200],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(records, tmp_path, content):
    before = every_table()
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=r"Nothing was changed"):
        call_command("restore", str(bad), yes=True)
    assert every_table() == before


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere.backup"), yes=True)


def test_a_backup_from_a_newer_version_is_refused(records, tmp_path):
    out = tmp_path / "newer.backup"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["people", "9999_from_the_future", timezone.now()],
        )
    try:
        call_command("backup", out=out)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE name = '9999_from_the_future'")
    before = every_table()
    with pytest.raises(CommandError, match="newer version of MACE"):
        call_command("restore", str(out), yes=True)
    assert every_table() == before


def test_backup_into_a_folder_that_does_not_exist_says_so(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("backup", out=tmp_path / "no" / "such" / "mace.backup")
    assert not any(Path(tmp_path).iterdir())
