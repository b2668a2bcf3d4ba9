"""Issue 18 point 7: one open episode a child at a time. Reporting a child missing who is
missing already is refused, naming the open episode, in the form, the API, the import and a
merge; the database holds the rule too (the partial unique index one_open_episode_per_child),
so a new open row is rejected while only a later row of the file closes the held one."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mace.accounts.models import Role
from mace.api.tests.helpers import api_client
from mace.episodes import services
from mace.episodes.models import Episode
from mace.imports.importer import import_tracker
from mace.imports.tests.test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    read_csv,
    write_csv,
)
from mace.people import services as people
from mace.people.models import ChildIdentifier
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
# Every role that may report a child missing (policy.MAY_RECORD_EPISODES).
REPORTERS = [Role.POLICE_OFFICER, Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER]


def stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def child(users, team):
    return ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)


@pytest.fixture
def missing(users, child):
    """The child, reported missing three hours ago and not yet back."""
    return services.episode_report(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=3),
    )


@pytest.mark.parametrize("role", REPORTERS)
def test_the_form_refuses_a_child_already_missing_and_links_to_the_open_episode(
    role, users, child, missing, client_for
):
    response = client_for(users[role]).post(
        f"/children/{child.public_id}/report-missing/",
        {
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": stamp(NOW - datetime.timedelta(hours=1)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    assert f'href="/episodes/{missing.public_id}/"' in page
    assert f"{child.reference} is already missing" in page
    assert Episode.objects.filter(child=child).count() == 1


def test_the_form_reports_the_child_again_once_the_return_is_recorded(
    users, child, missing, client_for
):
    services.episode_record_return(
        actor=users[Role.MISSING_COORDINATOR],
        episode=missing,
        returned_at=NOW - datetime.timedelta(hours=2),
    )
    response = client_for(users[Role.POLICE_OFFICER]).post(
        f"/children/{child.public_id}/report-missing/",
        {
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": stamp(NOW - datetime.timedelta(hours=1)),
        },
    )
    assert response.status_code == 302
    assert Episode.objects.filter(child=child).count() == 2


@pytest.mark.parametrize("role", REPORTERS)
def test_the_api_refuses_a_child_already_missing_with_a_400_naming_the_open_episode(
    role, users, child, missing
):
    response = api_client(users[role]).post(
        "/api/v1/episodes/",
        {
            "child": str(child.public_id),
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": (NOW - datetime.timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    message = " ".join(response.json()["error"]["fields"]["child"])
    assert str(missing.public_id) in message
    assert "already missing" in message
    assert Episode.objects.filter(child=child).count() == 1


def test_an_episode_that_ended_may_be_recorded_while_the_child_is_missing(users, child, missing):
    """Only a second open episode is refused: an earlier one, with its return, is history."""
    services.episode_report(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(days=30),
        returned_at=NOW - datetime.timedelta(days=29),
    )
    assert Episode.objects.filter(child=child).count() == 2


def test_clearing_the_return_of_an_earlier_episode_is_refused_while_another_is_open(
    users, child, missing
):
    earlier = services.episode_report(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(days=30),
        returned_at=NOW - datetime.timedelta(days=29),
    )
    with pytest.raises(services.AlreadyMissing) as refused:
        services.episode_update(
            actor=users[Role.MISSING_COORDINATOR],
            episode=earlier,
            expected_version=earlier.version,
            returned_at=None,
        )
    assert refused.value.open_episode == missing
    earlier.refresh_from_db()
    assert earlier.returned_at is not None


@pytest.fixture
def tracker(tmp_path: Path) -> tuple[Path, Path]:
    children = write_csv(
        tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1"), child_row("T-2")]
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row("POL-1", "T-1", last_seen_at="2025-06-01T21:30"),
            episode_row("POL-2", "T-1", last_seen_at="2025-07-01T21:30"),
            episode_row(
                "POL-3",
                "T-1",
                last_seen_at="2025-05-01T21:30",
                returned_at="2025-05-02T08:00",
            ),
            episode_row("POL-4", "T-2", last_seen_at="2025-07-01T21:30"),
        ],
    )
    return children, episodes


@pytest.mark.parametrize("chunk_rows", [1, 500])
def test_the_import_rejects_a_second_open_episode_naming_the_open_one(tracker, chunk_rows):
    children, episodes = tracker
    report = import_tracker(children=children, episodes=episodes, chunk_rows=chunk_rows)
    assert report.episodes.created == 3
    assert report.episodes.rejected == 1
    rejected = read_csv(episodes.with_name("episodes.rejects.csv"))
    assert [row["episode_ref"] for row in rejected] == ["POL-2"]
    assert 'episode "POL-1" has no return either' in rejected[0]["reasons"]
    assert 'child_ref "T-1" is already missing' in rejected[0]["reasons"]
    assert set(Episode.objects.values_list("police_reference", flat=True)) == {
        "POL-1",
        "POL-3",
        "POL-4",
    }


def test_the_import_rejects_an_open_episode_of_a_child_reported_missing_in_mace(tmp_path, users):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-9")])
    import_tracker(children=children)
    child = ChildIdentifier.objects.get(value="T-9").child
    held = services.episode_report(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=3),
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-9", "T-9", last_seen_at="2025-07-01T21:30")],
    )
    report = import_tracker(episodes=episodes)
    assert report.episodes.rejected == 1
    rejected = read_csv(episodes.with_name("episodes.rejects.csv"))
    assert f"episode {held.public_id} (reported in MACE)" in rejected[0]["reasons"]
    assert Episode.objects.filter(child=child).count() == 1


def test_the_database_refuses_a_second_open_episode_of_a_child(child, missing):
    """Whatever writes: the partial unique index, on SQLite and PostgreSQL alike."""
    fields = {
        "child": child,
        "kind": "missing",
        "missing_from": "home",
        "legal_status": "NONE",
        "last_seen_at": NOW - datetime.timedelta(hours=1),
        "reported_at": NOW - datetime.timedelta(hours=1),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(**fields)
    # One that ended is no second open episode, and another child is missing on their own.
    Episode.objects.create(**fields, returned_at=NOW)
    Episode.objects.create(**{**fields, "child": ChildFactory()})
    assert Episode.objects.filter(returned_at__isnull=True).count() == 2


@pytest.mark.parametrize("chunk_rows", [1, 500])
def test_the_import_rejects_a_new_open_row_while_only_a_later_row_closes_the_held_one(
    tmp_path, chunk_rows
):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    first = write_csv(
        tmp_path / "first.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", last_seen_at="2025-06-01T21:30")],
    )
    import_tracker(children=children, episodes=first)
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row("POL-2", "T-1", last_seen_at="2025-07-01T21:30"),
            episode_row(
                "POL-1", "T-1", last_seen_at="2025-06-01T21:30", returned_at="2025-06-02T08:00"
            ),
        ],
    )

    report = import_tracker(episodes=episodes, chunk_rows=chunk_rows)

    assert (report.episodes.created, report.episodes.updated) == (0, 1)
    (rejected,) = read_csv(episodes.with_name("episodes.rejects.csv"))
    assert rejected["episode_ref"] == "POL-2"
    assert 'episode "POL-1" has no return yet; a later row of this file' in rejected["reasons"]
    assert "import the same files again and this row is accepted" in rejected["reasons"]
    assert Episode.objects.get(police_reference="POL-1").returned_at is not None
    # As the reason says: the same files again, and the row lands.
    again = import_tracker(episodes=episodes, chunk_rows=chunk_rows)
    assert (again.episodes.created, again.episodes.rejected) == (1, 0)
    assert Episode.objects.get(police_reference="POL-2").is_open


def test_a_merge_of_two_records_each_missing_now_is_refused(users, team):
    keep = ChildFactory(team=team)
    duplicate = ChildFactory(team=team)
    opened = {}
    for record in (keep, duplicate):
        opened[record] = services.episode_report(
            actor=users[Role.MISSING_COORDINATOR],
            child=record,
            kind="missing",
            missing_from="home",
            last_seen_at=NOW - datetime.timedelta(hours=3),
        )
    with pytest.raises(ValidationError) as refused:
        people.child_merge(actor=users[Role.MANAGER], keep=keep, duplicate=duplicate)
    message = " ".join(refused.value.messages)
    assert "Both records have an open episode" in message
    assert str(opened[duplicate].public_id) in message
    assert "record the return on one of the episodes, then merge" in message
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.episodes.count() == 1
    # With one of them back, the merge goes through and the kept record is missing once.
    services.episode_update(
        actor=users[Role.MISSING_COORDINATOR],
        episode=opened[duplicate],
        expected_version=opened[duplicate].version,
        returned_at=NOW - datetime.timedelta(hours=1),
    )
    people.child_merge(actor=users[Role.MANAGER], keep=keep, duplicate=duplicate)
    assert keep.episodes.count() == 2
    assert keep.episodes.filter(returned_at__isnull=True).count() == 1
