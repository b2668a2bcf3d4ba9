"""`manage.py import_tracker` and `import_police_notifications` (SPEC section 5, format 1)."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.utils import timezone

from mace.accounts.models import Agency
from mace.accounts.tests.factories import AgencyFactory
from mace.audit.models import AuditEvent
from mace.episodes.models import Episode, RiskGrading
from mace.imports.rows import BELOW_MINIMUM_REASON
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.models import (
    Child,
    ChildIdentifier,
    Involvement,
    LegalStatus,
    LegalStatusKind,
    LocalAuthority,
    Placement,
)
from mace.people.tests.factories import ChildFactory, LegalStatusFactory
from mace.reports import annual
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db

UTC = datetime.UTC

CHILD_COLUMNS = [
    "child_ref",
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "legal_status",
    "placing_authority",
    "uasc",
    "area",
]
EPISODE_COLUMNS = [
    "episode_ref",
    "child_ref",
    "kind",
    "missing_from",
    "legal_status",
    "last_seen_at",
    "reported_at",
    "returned_at",
    "police_risk",
    "rhi_offered_at",
    "rhi_outcome",
    "rhi_completed_at",
    "push_pull_factors",
    "with_children",
]

TABLES: list[type[models.Model]] = [
    Child,
    ChildIdentifier,
    LegalStatus,
    Placement,
    LocalAuthority,
    Involvement,
    Episode,
    Episode.with_children.through,
    RiskGrading,
    ReturnInterview,
    InterviewOffer,
    AuditEvent,
    DueItem,
]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        return list(csv.DictReader(source))


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, "--quiet", stdout=out)
    return out.getvalue()


def import_tracker(children: Path | None = None, episodes: Path | None = None, *more: str) -> str:
    args = ["import_tracker"]
    if children is not None:
        args += ["--children", str(children)]
    if episodes is not None:
        args += ["--episodes", str(episodes)]
    return run(*args, *more)


def table_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in TABLES}


def last_changes() -> dict[str, object]:
    """What a silent re-save would move: versions and update times of the imported rows."""
    return {
        "children": sorted(Child.objects.values_list("pk", "version", "updated_at")),
        "episodes": sorted(Episode.objects.values_list("pk", "version", "updated_at")),
        "interviews": sorted(ReturnInterview.objects.values_list("pk", "version", "updated_at")),
        "due": sorted(DueItem.objects.values_list("pk", "due_at", "status", "updated_at")),
    }


def child_row(ref: str, **values: str) -> dict[str, str]:
    row = {
        "child_ref": ref,
        "first_name": "Amy",
        "last_name": f"Test-{ref}",
        "date_of_birth": "2011-02-01",
        "gender": "female",
    }
    row.update(values)
    return row


def episode_row(ref: str, child_ref: str, **values: str) -> dict[str, str]:
    row = {
        "episode_ref": ref,
        "child_ref": child_ref,
        "kind": "missing",
        "missing_from": "home",
        "legal_status": "CIN",
        "last_seen_at": "2025-06-01T21:30",
    }
    row.update(values)
    return row


@pytest.fixture
def providers(db: None) -> dict[str, Agency]:
    """The return interview providers of the settings (003 §21-25)."""
    return {
        name: AgencyFactory.create(name=name, kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER)
        for name in (
            settings.RHI_PROVIDER_UNDER_13_FROM_HOME,
            settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
            settings.RHI_PROVIDER_LOOKED_AFTER,
        )
    }


@pytest.fixture
def tracker_files(tmp_path: Path) -> tuple[Path, Path]:
    children = write_csv(
        tmp_path / "children.csv",
        [*CHILD_COLUMNS, "worker_notes"],
        [
            child_row(
                "T-1",
                first_name="Amy",
                last_name="Smith",
                date_of_birth="2011-02-01",
                ethnicity="WBRI",
                legal_status="CIN",
                uasc="N",
                area="Northgate",
                worker_notes="ignored",
            ),
            child_row(
                "T-2",
                first_name="Ben",
                last_name="Jones",
                gender="male",
                date_of_birth="2009-05-05",
                legal_status="CLA",
                placing_authority="Barnet",
                uasc="Y",
            ),
            child_row("T-3", first_name="Cal", last_name="Owen", gender="male"),
        ],
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row(
                "POL-1",
                "T-1",
                last_seen_at="2025-06-01T21:30",
                reported_at="2025-06-01T23:00",
                returned_at="2025-06-02T08:00",
                police_risk="medium",
                rhi_offered_at="2025-06-03T10:00",
                rhi_outcome="completed",
                rhi_completed_at="2025-06-04T16:00",
                push_pull_factors="peer_influence;gang",
                with_children="T-3",
            ),
            episode_row(
                "POL-2",
                "T-2",
                kind="away",
                missing_from="care",
                legal_status="CLA",
                last_seen_at="2025-01-10T10:00Z",
                returned_at="2025-01-11T10:00Z",
                police_risk="high",
                rhi_offered_at="2025-01-12T10:00Z",
                rhi_outcome="declined",
            ),
            episode_row(
                "POL-3",
                "T-3",
                last_seen_at="2025-09-01T18:00+01:00",
                police_risk="medium",
            ),
        ],
    )
    return children, episodes


def test_good_rows_land(tracker_files, providers):
    children, episodes = tracker_files

    output = import_tracker(children, episodes)

    assert "Children: 3 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert "Episodes: 3 created, 0 updated, 0 unchanged, 0 rejected" in output
    amy = ChildIdentifier.objects.get(kind="tracker", value="T-1").child
    assert amy.reference == f"MC-{amy.pk:06d}"
    assert (amy.first_name, amy.last_name, amy.date_of_birth) == (
        "Amy",
        "Smith",
        datetime.date(2011, 2, 1),
    )
    assert (amy.gender, amy.ethnicity, amy.area, amy.is_uasc) == (
        "female",
        "WBRI",
        "Northgate",
        False,
    )
    assert amy.legal_statuses.get().status == LegalStatusKind.CIN
    ben = ChildIdentifier.objects.get(kind="tracker", value="T-2").child
    assert ben.is_uasc
    placement = ben.placements.get()
    assert placement.placing_authority.name == "Barnet"
    assert placement.host_authority.ons_code == settings.HOME_AUTHORITY_ONS_CODE
    assert placement.kind == Placement.Kind.OTHER
    # The placement is taken to have begun by the first time the import shows him missing
    # from care, so that episode is linked to it.
    assert placement.start_date == datetime.date(2025, 1, 10)

    first = Episode.objects.get(police_reference="POL-1")
    assert first.child == amy
    assert (first.kind, first.missing_from, first.legal_status) == ("missing", "home", "CIN")
    assert first.last_seen_at == datetime.datetime(2025, 6, 1, 20, 30, tzinfo=UTC)
    assert first.reported_at == datetime.datetime(2025, 6, 1, 22, 0, tzinfo=UTC)
    assert first.returned_at == datetime.datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
    assert first.push_pull_factors == ["gang", "peer_influence"]
    assert [c.reference for c in first.with_children.all()] == [
        ChildIdentifier.objects.get(value="T-3").child.reference
    ]
    assert first.current_risk.grade == "medium"
    assert first.current_risk.reason == ""
    interview = first.return_interview
    assert interview.provider.name == settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME
    assert interview.status == ReturnInterview.Status.COMPLETED
    assert interview.completed_at == datetime.datetime(2025, 6, 4, 15, 0, tzinfo=UTC)
    assert [(o.offered_at, o.response) for o in interview.offers.all()] == [
        (datetime.datetime(2025, 6, 3, 9, 0, tzinfo=UTC), InterviewOffer.Response.ACCEPTED)
    ]
    assert Involvement.objects.filter(
        child=amy, kind=Involvement.Kind.RHI_PROVIDER, agency=interview.provider
    ).exists()

    away = Episode.objects.get(police_reference="POL-2")
    assert away.placement == placement
    assert away.current_risk.grade == "high"
    # Placed here by another authority: it arranges the interview; what the tracker says of
    # it is still kept, with no local provider.
    arranged = ReturnInterview.objects.get(episode=away)
    assert arranged.provider is None
    assert arranged.provider_rule.startswith("Placed here by")
    assert "Return interviews not recorded" not in output

    still_missing = Episode.objects.get(police_reference="POL-3")
    assert still_missing.returned_at is None
    assert still_missing.reported_at == still_missing.last_seen_at  # reported_at defaults

    imported = AuditEvent.objects.filter(summary__startswith="Imported from tracker")
    assert imported.filter(action="create", object_type="people.child").count() == 3
    assert imported.filter(action="create", object_type="episodes.episode").count() == 3
    assert not imported.exclude(actor=None).exists()
    assert DueItem.objects.filter(episode=first, rule="T7").exists()
    assert not (children.parent / "children.rejects.csv").exists()
    assert not (episodes.parent / "episodes.rejects.csv").exists()


def test_running_the_same_files_twice_changes_nothing(tracker_files, providers):
    children, episodes = tracker_files
    import_tracker(children, episodes)
    counts, changes = table_counts(), last_changes()

    output = import_tracker(children, episodes)

    assert table_counts() == counts
    assert last_changes() == changes
    assert "Children: 0 created, 0 updated, 3 unchanged, 0 rejected" in output
    assert "Episodes: 0 created, 0 updated, 3 unchanged, 0 rejected" in output


def test_a_changed_row_updates_the_record_and_audits_before_and_after(tracker_files, providers):
    children, episodes = tracker_files
    import_tracker(children, episodes)
    amy = ChildIdentifier.objects.get(value="T-1").child
    write_csv(
        children,
        CHILD_COLUMNS,
        [child_row("T-1", first_name="Amelia", last_name="Smith", area="Southgate")],
    )

    output = import_tracker(children)

    assert "Children: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    amy.refresh_from_db()
    assert (amy.first_name, amy.area, amy.version) == ("Amelia", "Southgate", 2)
    # Empty optional cells never erase what MACE holds.
    assert amy.ethnicity == "WBRI"
    assert amy.legal_statuses.get().status == LegalStatusKind.CIN
    change = AuditEvent.objects.get(action="change", object_type="people.child")
    assert change.before == {"first_name": "Amy", "area": "Northgate"}
    assert change.after == {"first_name": "Amelia", "area": "Southgate"}
    assert change.actor is None


def test_a_new_legal_status_starts_today_and_the_old_one_ends_the_day_before(tmp_path):
    child = ChildFactory.create()
    ChildIdentifier.objects.create(child=child, kind="tracker", value="T-9")
    old = LegalStatusFactory.create(child=child, status=LegalStatusKind.CIN)
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [
            child_row(
                "T-9",
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth.isoformat(),
                gender=child.gender,
                legal_status="CP",
            )
        ],
    )

    output = import_tracker(children)

    assert "Children: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    today = timezone.localdate()
    old.refresh_from_db()
    assert old.end_date == today - datetime.timedelta(days=1)
    new = child.legal_statuses.get(end_date=None)
    assert (new.status, new.start_date) == (LegalStatusKind.CP, today)
    assert "Children: 0 created, 0 updated, 1 unchanged" in import_tracker(children)


def test_malformed_rows_are_rejected_with_reasons_and_the_others_land(tmp_path, providers):
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [
            child_row("T-1"),
            child_row("T-2", date_of_birth="31/02/2010", gender="M"),
            child_row("T-3", first_name=""),
            child_row("T-4", ethnicity="MWBA"),
        ],
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row("POL-1", "T-1"),
            episode_row("POL-2", "T-404"),
            episode_row("POL-3", "T-1", kind="absconded", last_seen_at="2025-06-31 10:00"),
            episode_row("POL-4", "T-1", push_pull_factors="gang;unhappy", with_children="T-77"),
        ],
    )

    output = import_tracker(children, episodes)

    assert "Children: 2 created, 0 updated, 0 unchanged, 2 rejected" in output
    assert "Episodes: 1 created, 0 updated, 0 unchanged, 3 rejected" in output
    assert set(ChildIdentifier.objects.values_list("value", flat=True)) == {"T-1", "T-4"}
    assert list(Episode.objects.values_list("police_reference", flat=True)) == ["POL-1"]

    rejected_children = {
        row["child_ref"]: row for row in read_csv(tmp_path / "children.rejects.csv")
    }
    assert set(rejected_children) == {"T-2", "T-3"}
    assert list(rejected_children["T-2"]) == [*CHILD_COLUMNS, "reasons"]
    assert rejected_children["T-2"]["date_of_birth"] == "31/02/2010"  # the original values
    reasons = rejected_children["T-2"]["reasons"]
    assert (
        'date_of_birth: "31/02/2010" is not a date; use YYYY-MM-DD, for example 2010-02-28'
        in reasons
    )
    assert 'gender: "M" is not one of male, female, other, unknown' in reasons
    assert 'did you mean "male"?' in reasons
    assert 'first_name: "" is empty, but it is required' in rejected_children["T-3"]["reasons"]
    rejected_episodes = {
        row["episode_ref"]: row for row in read_csv(tmp_path / "episodes.rejects.csv")
    }
    assert set(rejected_episodes) == {"POL-2", "POL-3", "POL-4"}
    assert rejected_episodes["POL-2"]["reasons"].startswith('child_ref: "T-404" is not in')
    assert 'kind: "absconded" is not one of missing, away' in rejected_episodes["POL-3"]["reasons"]
    assert (
        'last_seen_at: "2025-06-31 10:00" is not a date and time'
        in (rejected_episodes["POL-3"]["reasons"])
    )
    assert "for example 2025-06-30T10:00" in rejected_episodes["POL-3"]["reasons"]
    pol4 = rejected_episodes["POL-4"]["reasons"]
    assert 'push_pull_factors: "gang;unhappy" has unknown code "unhappy"' in pol4
    assert "Rejected rows of episodes.csv, with reasons:" in output
    assert "line 3: child_ref:" in output


def test_an_unknown_ethnicity_code_rejects_the_row(tmp_path):
    children = write_csv(
        tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1", ethnicity="White")]
    )

    output = import_tracker(children)

    assert "Children: 0 created, 0 updated, 0 unchanged, 1 rejected" in output
    (row,) = read_csv(tmp_path / "children.rejects.csv")
    assert row["reasons"].startswith('ethnicity: "White" is not one of WBRI, WIRI')


def test_an_unknown_companion_rejects_the_episode(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", with_children="T-77")],
    )

    output = import_tracker(children, episodes)

    assert "Episodes: 0 created, 0 updated, 0 unchanged, 1 rejected" in output
    (row,) = read_csv(tmp_path / "episodes.rejects.csv")
    assert row["reasons"].startswith('with_children: "T-77" is not in children.csv')
    assert not Episode.objects.exists()


def test_an_episode_of_a_rejected_child_says_so(tmp_path):
    children = write_csv(
        tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1", date_of_birth="")]
    )
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, [episode_row("P", "T-1")])

    import_tracker(children, episodes)

    (row,) = read_csv(tmp_path / "episodes.rejects.csv")
    assert "its child row (children.csv line 2) was rejected" in row["reasons"]


def test_inconsistent_times_are_rejected(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    future = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row(
                "A",
                "T-1",
                last_seen_at="2025-06-01T21:30",
                returned_at="2025-06-01T20:00",
                reported_at="2025-06-01T21:00",
            ),
            episode_row("B", "T-1", rhi_outcome="completed"),
            episode_row("C", "T-1", rhi_completed_at="2025-06-05T10:00"),
            episode_row("D", "T-1", last_seen_at=future),
        ],
    )

    output = import_tracker(children, episodes)

    assert "Episodes: 0 created, 0 updated, 0 unchanged, 4 rejected" in output
    reasons = {
        row["episode_ref"]: row["reasons"] for row in read_csv(tmp_path / "episodes.rejects.csv")
    }
    assert 'returned_at: "2025-06-01T20:00" is before last_seen_at' in reasons["A"]
    assert 'reported_at: "2025-06-01T21:00" is before last_seen_at' in reasons["A"]
    assert "rhi_completed_at: " in reasons["B"]
    assert "rhi_outcome is completed" in reasons["B"]
    assert 'rhi_completed_at: "2025-06-05T10:00" is given but rhi_outcome is ""' in reasons["C"]
    assert f'last_seen_at: "{future}" is in the future' in reasons["D"]


def test_the_rejects_file_goes_when_nothing_is_rejected(tmp_path):
    children = write_csv(
        tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1", gender="girl")]
    )
    import_tracker(children)
    assert (tmp_path / "children.rejects.csv").exists()

    write_csv(children, CHILD_COLUMNS, [child_row("T-1")])
    output = import_tracker(children)

    assert "Children: 1 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert not (tmp_path / "children.rejects.csv").exists()


def test_dry_run_writes_nothing_but_reports_real_counts(tracker_files, providers, tmp_path):
    children, episodes = tracker_files
    with episodes.open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow(["POL-9", "T-404", "missing", "home", "CIN", "2025-06-01T10:00"])
    counts = table_counts()

    dry = import_tracker(children, episodes, "--dry-run")

    assert table_counts() == counts
    assert not (tmp_path / "episodes.rejects.csv").exists()
    assert dry.startswith("Dry run: nothing was written.")
    assert "Children: 3 created, 0 updated, 0 unchanged, 0 rejected" in dry
    assert "Episodes: 3 created, 0 updated, 0 unchanged, 1 rejected" in dry
    assert 'child_ref: "T-404" is not in children.csv' in dry

    real = import_tracker(children, episodes)

    summary = [line for line in dry.splitlines() if line.startswith(("Children", "Episodes"))]
    assert summary == [
        line for line in real.splitlines() if line.startswith(("Children", "Episodes"))
    ]
    assert Episode.objects.count() == 3


def refuse_due_items_of_pol_3() -> None:
    """Make the database refuse any worklist item of episode POL-3: a real failure in the
    last step of its row (the worklist), whatever ids the rows get."""
    if connection.vendor == "postgresql":
        sql = [
            "CREATE FUNCTION refuse_due_items() RETURNS trigger AS $$ BEGIN "
            "IF (SELECT police_reference FROM episodes_episode WHERE id = NEW.episode_id) "
            "= 'POL-3' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_due_items BEFORE INSERT ON worklist_dueitem "
            "FOR EACH ROW EXECUTE FUNCTION refuse_due_items()",
        ]
    else:
        sql = [
            "CREATE TRIGGER refuse_due_items BEFORE INSERT ON worklist_dueitem WHEN "
            "(SELECT police_reference FROM episodes_episode WHERE id = NEW.episode_id) "
            "= 'POL-3' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def test_a_database_failure_in_a_row_leaves_nothing_of_it(tmp_path, providers):
    # Make the database refuse the last step of an episode row (its worklist items) and
    # provoke a duplicate in the middle of a child row (MACE's own reference), then check
    # nothing of either row is left behind while the other rows land.
    refuse_due_items_of_pol_3()
    blocker = ChildFactory.create()
    # T-1 and T-2 take the next two ids; T-3 would be MC-<blocker + 3>, already taken.
    blocker_reference = f"MC-{blocker.pk + 3:06d}"
    blocker.reference = blocker_reference
    blocker.save()
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [child_row("T-1"), child_row("T-2"), child_row("T-3", legal_status="CLA")],
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row("POL-1", "T-1"),
            episode_row("POL-2", "T-2"),
            episode_row(
                "POL-3",
                "T-1",
                last_seen_at="2025-07-01T10:00",
                returned_at="2025-07-01T12:00",
                police_risk="low",
                rhi_offered_at="2025-07-02T10:00",
                rhi_outcome="declined",
            ),
        ],
    )
    counts = table_counts()

    output = import_tracker(children, episodes)

    assert "Children: 2 created, 0 updated, 0 unchanged, 1 rejected" in output
    assert "Episodes: 2 created, 0 updated, 0 unchanged, 1 rejected" in output
    after = table_counts()
    assert after[Child._meta.label] == counts[Child._meta.label] + 2
    assert not ChildIdentifier.objects.filter(value="T-3").exists()
    assert not LegalStatus.objects.filter(status=LegalStatusKind.CLA).exists()
    assert not Episode.objects.filter(police_reference="POL-3").exists()
    assert after[Episode._meta.label] == counts[Episode._meta.label] + 2
    assert not RiskGrading.objects.exists()
    assert not ReturnInterview.objects.exists()
    assert not InterviewOffer.objects.exists()
    assert AuditEvent.objects.filter(object_type="people.child").count() == 2
    assert AuditEvent.objects.filter(object_type="episodes.episode").count() == 2
    (child_reject,) = read_csv(tmp_path / "children.rejects.csv")
    assert child_reject["child_ref"] == "T-3"
    assert child_reject["reasons"].startswith("row: could not be saved (")
    (episode_reject,) = read_csv(tmp_path / "episodes.rejects.csv")
    assert episode_reject["episode_ref"] == "POL-3"
    assert "nothing of it was written" in episode_reject["reasons"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2025-06-01T21:30:00+02:00", datetime.datetime(2025, 6, 1, 19, 30, tzinfo=UTC)),
        ("2025-06-01T21:30Z", datetime.datetime(2025, 6, 1, 21, 30, tzinfo=UTC)),
        ("2025-01-15 21:30", datetime.datetime(2025, 1, 15, 21, 30, tzinfo=UTC)),
        ("2025-07-15T21:30", datetime.datetime(2025, 7, 15, 20, 30, tzinfo=UTC)),
        ("2025-07-15T21:30:45", datetime.datetime(2025, 7, 15, 20, 30, 45, tzinfo=UTC)),
        # 01:30 happens twice when the clocks go back: the first, in BST, is taken.
        ("2025-10-26T01:30", datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        ("2025-10-26T01:30+00:00", datetime.datetime(2025, 10, 26, 1, 30, tzinfo=UTC)),
    ],
)
def test_datetimes_with_and_without_an_offset(tmp_path, written, stored):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", last_seen_at=written)],
    )

    import_tracker(children, episodes)

    assert Episode.objects.get().last_seen_at == stored


def test_a_time_skipped_when_the_clocks_go_forward_is_rejected(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", last_seen_at="2025-03-30T01:30")],
    )

    output = import_tracker(children, episodes)

    assert "Episodes: 0 created, 0 updated, 0 unchanged, 1 rejected" in output
    (row,) = read_csv(tmp_path / "episodes.rejects.csv")
    assert row["reasons"].startswith('last_seen_at: "2025-03-30T01:30" does not exist in UK time')
    assert "for example 2025-03-30T01:30+00:00" in row["reasons"]


def test_a_grade_below_the_minimum_is_kept_and_flagged_for_review(tmp_path, settings):
    settings.MINIMUM_POLICE_RISK_GRADE = "medium"
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", police_risk="low")],
    )
    import_tracker(children, episodes)
    episode = Episode.objects.get()
    assert [(g.grade, g.reason) for g in episode.risk_gradings.all()] == [
        ("low", BELOW_MINIMUM_REASON)
    ]

    import_tracker(children, episodes)
    assert episode.risk_gradings.count() == 1

    write_csv(episodes, EPISODE_COLUMNS, [episode_row("POL-1", "T-1", police_risk="high")])
    output = import_tracker(children, episodes)

    assert "Episodes: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    assert episode.current_risk.grade == "high"
    assert episode.current_risk.reason == ""
    assert episode.risk_gradings.count() == 2


def test_a_later_return_time_moves_the_T7_return_interview_deadline(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", returned_at="2025-06-02T08:00")],
    )
    import_tracker(children, episodes)
    item = DueItem.objects.get(rule="T7")
    assert item.due_at == datetime.datetime(2025, 6, 5, 7, 0, tzinfo=UTC)

    write_csv(
        episodes,
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", returned_at="2025-06-03T18:15")],
    )
    output = import_tracker(None, episodes)

    assert "Episodes: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    item.refresh_from_db()
    returned_at = Episode.objects.get().returned_at
    assert returned_at == datetime.datetime(2025, 6, 3, 17, 15, tzinfo=UTC)
    assert item.due_at == returned_at + datetime.timedelta(hours=72)
    change = AuditEvent.objects.get(action="change", object_type="episodes.episode")
    assert change.before == {"returned_at": "2025-06-02T07:00:00+00:00"}
    assert change.after == {"returned_at": "2025-06-03T17:15:00+00:00"}


def test_an_empty_return_time_keeps_the_return_mace_holds(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [episode_row("POL-1", "T-1", returned_at="2025-06-02T08:00")],
    )
    import_tracker(children, episodes)

    write_csv(episodes, EPISODE_COLUMNS, [episode_row("POL-1", "T-1")])
    output = import_tracker(None, episodes)

    assert "Episodes: 0 created, 0 updated, 1 unchanged, 0 rejected" in output
    assert Episode.objects.get().returned_at is not None


def test_an_interview_without_a_provider_set_up_is_recorded_with_the_provider_not_known(
    tmp_path,
):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row(
                "POL-1",
                "T-1",
                returned_at="2025-06-02T08:00",
                rhi_offered_at="2025-06-02T10:00",
                rhi_outcome="no_contact",
            )
        ],
    )

    output = import_tracker(children, episodes)

    assert "Episodes: 1 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert (
        "Warning: return interviews recorded with the provider not known: 1 (no active "
        "provider agency for the rule: " in output
    )
    assert "Choose the provider agencies at /settings/providers/" in output
    assert "not recorded" not in output
    interview = ReturnInterview.objects.get()
    assert interview.provider is None
    assert interview.provider_not_known
    assert interview.provider_label == "Not known (recorded from the tracker)"
    assert interview.status == ReturnInterview.Status.NO_CONTACT
    assert [o.offered_at for o in interview.offers.all()] == [
        datetime.datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    ]
    # Nobody is given the child: there is no provider to give them to.
    assert not Involvement.objects.filter(kind=Involvement.Kind.RHI_PROVIDER).exists()
    # A second run of the same file changes nothing.
    assert "Episodes: 0 created, 0 updated, 1 unchanged, 0 rejected" in import_tracker(
        children, episodes
    )
    assert ReturnInterview.objects.count() == 1


def test_a_later_import_fills_the_provider_once_the_providers_are_set_up(tmp_path):
    """Issue 18 point 2: "not known" is what the fresh install knew, not the answer for good."""
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row(
                "POL-1",
                "T-1",
                returned_at="2025-06-02T08:00",
                rhi_offered_at="2025-06-02T10:00",
                rhi_outcome="no_contact",
            )
        ],
    )
    import_tracker(children, episodes)
    assert ReturnInterview.objects.get().provider_not_known

    provider = AgencyFactory.create(
        name=settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
        kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER,
    )
    output = import_tracker(children, episodes)

    assert "Episodes: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    interview = ReturnInterview.objects.get()
    assert interview.provider == provider
    assert not interview.provider_not_known
    assert interview.status == ReturnInterview.Status.NO_CONTACT
    assert Involvement.objects.filter(
        kind=Involvement.Kind.RHI_PROVIDER, agency=provider, child=interview.episode.child
    ).exists()
    filled = AuditEvent.objects.get(summary__contains="provider now known")
    assert filled.before["provider_id"] is None
    assert filled.after["provider_id"] == provider.pk
    # And a third run has nothing more to do.
    assert "Episodes: 0 created, 0 updated, 1 unchanged, 0 rejected" in import_tracker(
        children, episodes
    )


def test_a_fresh_install_keeps_every_interview_of_the_tracker_and_the_report_counts_them(
    tmp_path,
):
    """Issue 18 point 2: no provider agencies set up, and nothing of the interview columns
    lost; the annual report's return interview figures are the file's."""
    assert not Agency.objects.exists()
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [
            child_row("T-1"),  # 14 on the day: targeted youth service
            child_row("T-2", date_of_birth="2016-03-03"),  # 9: family wellbeing
            child_row("T-3", legal_status="CLA"),  # looked after: advocacy
        ],
    )
    rows = [
        episode_row(
            "POL-1",
            "T-1",
            returned_at="2025-06-02T08:00",
            rhi_offered_at="2025-06-02T10:00",
            rhi_outcome="completed",
            rhi_completed_at="2025-06-03T15:00",
        ),
        episode_row(
            "POL-2",
            "T-2",
            returned_at="2025-07-02T08:00",
            rhi_offered_at="2025-07-02T10:00",
            rhi_outcome="declined",
        ),
        episode_row(
            "POL-3",
            "T-3",
            missing_from="care",
            legal_status="CLA",
            last_seen_at="2025-08-01T21:30",
            returned_at="2025-08-02T08:00",
            rhi_outcome="completed",
            rhi_completed_at="2025-08-04T11:00",
        ),
        episode_row(
            "POL-4",
            "T-1",
            last_seen_at="2025-09-01T21:30",
            returned_at="2025-09-02T08:00",
            rhi_offered_at="2025-09-06T10:00",
            rhi_outcome="no_contact",
        ),
        episode_row(
            "POL-5",
            "T-2",
            last_seen_at="2025-10-01T21:30",
            returned_at="2025-10-02T08:00",
            rhi_outcome="not_offered",
        ),
        episode_row(
            "POL-6",
            "T-1",
            last_seen_at="2025-11-01T21:30",
            returned_at="2025-11-02T08:00",
            rhi_offered_at="2025-11-02T12:00",
        ),
        episode_row("POL-7", "T-2", last_seen_at="2025-12-01T21:30"),  # no interview columns
    ]
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, rows)

    output = import_tracker(children, episodes)

    assert "Episodes: 7 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert "Warning: return interviews recorded with the provider not known: " in output
    with_interview = [r for r in rows if r.get("rhi_outcome") or r.get("rhi_offered_at")]
    interviews = ReturnInterview.objects.select_related("episode")
    assert sorted(i.episode.police_reference for i in interviews) == sorted(
        r["episode_ref"] for r in with_interview
    )
    assert all(i.provider is None and i.provider_not_known for i in interviews)
    assert {i.episode.police_reference: i.status for i in interviews} == {
        "POL-1": "completed",
        "POL-2": "declined",
        "POL-3": "completed",
        "POL-4": "no_contact",
        "POL-5": "referred",
        "POL-6": "offered",
    }

    report = annual.build(annual.Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)))
    offered = [r for r in rows if r.get("rhi_offered_at") or r.get("rhi_outcome") == "completed"]
    assert report["rhi"]["offered"] == len(offered) == 5
    assert report["rhi"]["completed"] == 2
    assert report["rhi"]["declined"] == 1
    # Offered within 72 hours of the return: all but POL-4's (four days after).
    assert report["rhi"]["offered_within_72h"] == 4


def test_an_offer_without_an_answer_then_declined(tmp_path, providers):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    row = episode_row("POL-1", "T-1", returned_at="2025-06-02T08:00")
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [{**row, "rhi_offered_at": "2025-06-02T10:00"}],
    )
    import_tracker(children, episodes)
    interview = ReturnInterview.objects.get()
    assert interview.status == ReturnInterview.Status.OFFERED
    assert interview.offers.get().response == InterviewOffer.Response.NO_RESPONSE

    write_csv(
        episodes,
        EPISODE_COLUMNS,
        [{**row, "rhi_offered_at": "2025-06-02T10:00", "rhi_outcome": "declined"}],
    )
    output = import_tracker(None, episodes)

    assert "Episodes: 0 created, 1 updated, 0 unchanged, 0 rejected" in output
    interview.refresh_from_db()
    assert interview.status == ReturnInterview.Status.DECLINED
    assert interview.offers.get().response == InterviewOffer.Response.DECLINED


def test_a_new_offer_without_an_answer_after_a_refusal_is_offered_again(tmp_path, providers):
    """As on the pages (interviews.domain.status_for): the tracker's later offer, not yet
    answered, leaves the interview offered. Before the import shared the pages' rule it kept
    the refusal as the status while the latest offer had no answer."""
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    row = episode_row("POL-1", "T-1", returned_at="2025-06-02T08:00")
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [{**row, "rhi_offered_at": "2025-06-02T10:00", "rhi_outcome": "declined"}],
    )
    import_tracker(children, episodes)
    interview = ReturnInterview.objects.get()
    assert interview.status == ReturnInterview.Status.DECLINED

    write_csv(episodes, EPISODE_COLUMNS, [{**row, "rhi_offered_at": "2025-06-05T10:00"}])
    import_tracker(None, episodes)

    interview.refresh_from_db()
    assert interview.status == ReturnInterview.Status.OFFERED
    assert list(interview.offers.values_list("response", flat=True)) == [
        InterviewOffer.Response.DECLINED,
        InterviewOffer.Response.NO_RESPONSE,
    ]


@pytest.mark.parametrize("outcome", ["", "declined", "no_contact"])
def test_a_tracker_row_restated_keeps_the_answer_recorded_since_in_mace(
    tmp_path, providers, outcome
):
    """An offer the tracker restates unchanged is no new fact: the acceptance of a later
    offer, recorded in MACE since, stays the status (the import used to put the tracker's
    refusal or no contact back on every run)."""
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    row = episode_row(
        "POL-1",
        "T-1",
        returned_at="2025-06-02T08:00",
        rhi_offered_at="2025-06-02T10:00",
        rhi_outcome=outcome,
    )
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, [row])
    import_tracker(children, episodes)
    interview = ReturnInterview.objects.get()
    InterviewOffer.objects.create(
        interview=interview,
        offered_at=datetime.datetime(2025, 6, 3, 10, 0, tzinfo=UTC),
        response=InterviewOffer.Response.ACCEPTED,
    )
    ReturnInterview.objects.filter(pk=interview.pk).update(status=ReturnInterview.Status.ACCEPTED)

    import_tracker(None, episodes)

    interview.refresh_from_db()
    assert interview.status == ReturnInterview.Status.ACCEPTED


def test_no_contact_is_the_trackers_fact_kept_as_the_status(tmp_path, providers):
    """The tracker's no_contact: the offer has no answer, the interview is no contact (where
    an offer with no answer recorded on a page leaves it offered)."""
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    row = episode_row(
        "POL-1", "T-1", returned_at="2025-06-02T08:00", rhi_offered_at="2025-06-02T10:00"
    )
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, [row])
    import_tracker(children, episodes)
    interview = ReturnInterview.objects.get()
    assert interview.status == ReturnInterview.Status.OFFERED

    write_csv(episodes, EPISODE_COLUMNS, [{**row, "rhi_outcome": "no_contact"}])
    import_tracker(None, episodes)

    interview.refresh_from_db()
    assert interview.status == ReturnInterview.Status.NO_CONTACT
    assert interview.offers.get().response == InterviewOffer.Response.NO_RESPONSE


def test_a_file_without_a_required_column_imports_nothing(tmp_path):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(
        tmp_path / "episodes.csv",
        [c for c in EPISODE_COLUMNS if c not in ("kind", "last_seen_at")],
        [],
    )

    with pytest.raises(CommandError, match="required columns missing: kind, last_seen_at"):
        import_tracker(children, episodes)

    assert not Child.objects.exists()


def test_an_unreadable_file_stops_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv: cannot be read"):
        import_tracker(tmp_path / "missing.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(CHILD_COLUMNS).encode() + b"\nT-1,Zo\xeb,A,2011-01-01,female\n")
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        import_tracker(latin1)


def test_a_byte_order_mark_and_extra_columns_are_accepted(tmp_path):
    path = tmp_path / "children.csv"
    path.write_bytes(
        b"\xef\xbb\xbfnotes,child_ref,first_name,last_name,date_of_birth,gender\r\n"
        b"x,T-1,Zo\xc3\xab,Ali,2011-01-01,female\r\n"
        b",,,,,\r\n"
    )

    output = import_tracker(path)

    assert "Children: 1 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert Child.objects.get().first_name == "Zoë"


def test_neither_file_given_is_an_error():
    with pytest.raises(CommandError, match="Give --children"):
        call_command("import_tracker")


def test_a_chunk_of_no_rows_is_refused_by_both_import_commands(tmp_path):
    path = write_csv(tmp_path / "police.csv", EPISODE_COLUMNS, [episode_row("PN-1", "N-1")])
    for command, files in (
        ("import_tracker", ["--episodes", str(path)]),
        ("import_police_notifications", [str(path)]),
    ):
        with pytest.raises(CommandError, match="Give --chunk-rows of at least 1"):
            call_command(command, *files, "--chunk-rows", "0")
    assert not Episode.objects.exists()


def test_police_notifications_go_through_the_same_import(tmp_path, providers):
    columns = [
        "child_ref",
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        *EPISODE_COLUMNS[:1],
        *EPISODE_COLUMNS[2:],
    ]
    path = write_csv(
        tmp_path / "police.csv",
        columns,
        [
            {
                **child_row("N-1", first_name="Dee", last_name="Ray"),
                **episode_row("PN-1", "N-1", police_risk="high", with_children="N-2"),
            },
            {
                **child_row("N-2", first_name="Eve", last_name="Ray"),
                **episode_row("PN-2", "N-2", police_risk="high", with_children="N-1"),
            },
            {
                **child_row("N-1", first_name="Dee", last_name="Ray"),
                **episode_row(
                    "PN-3",
                    "N-1",
                    last_seen_at="2025-10-26T01:30",
                    returned_at="2025-10-26T09:00",
                    police_risk="medium",
                ),
            },
            {**child_row("N-3", gender="femal"), **episode_row("PN-4", "N-3")},
        ],
    )

    output = run("import_police_notifications", str(path))

    assert "Children: 2 created, 0 updated, 0 unchanged, 1 rejected" in output
    assert "Episodes: 3 created, 0 updated, 0 unchanged, 1 rejected" in output
    dee = ChildIdentifier.objects.get(kind="tracker", value="N-1").child
    assert sorted(dee.episodes.values_list("police_reference", flat=True)) == ["PN-1", "PN-3"]
    assert dee.episodes.get(police_reference="PN-1").with_children.get().first_name == "Eve"
    assert Episode.objects.get(police_reference="PN-3").last_seen_at == datetime.datetime(
        2025, 10, 26, 0, 30, tzinfo=UTC
    )
    assert (
        AuditEvent.objects.filter(
            summary__startswith="Imported from police notification", object_type="people.child"
        ).count()
        == 2
    )
    (row,) = read_csv(tmp_path / "police.rejects.csv")
    assert row["child_ref"] == "N-3"
    assert 'gender: "femal" is not one of male, female, other, unknown' in row["reasons"]
    assert 'did you mean "female"?' in row["reasons"]

    counts, changes = table_counts(), last_changes()
    again = run("import_police_notifications", str(path))

    assert table_counts() == counts
    assert last_changes() == changes
    assert "Children: 0 created, 0 updated, 2 unchanged, 1 rejected" in again
    assert "Episodes: 0 created, 0 updated, 3 unchanged, 1 rejected" in again


def test_police_notifications_need_the_child_columns(tmp_path):
    path = write_csv(tmp_path / "police.csv", EPISODE_COLUMNS, [episode_row("PN-1", "N-1")])

    with pytest.raises(CommandError, match="first_name, last_name, date_of_birth, gender"):
        run("import_police_notifications", str(path))


def test_the_rejects_file_never_runs_a_formula_when_opened(tmp_path):
    """A rejected cell that a spreadsheet would run shows as text (issue 8)."""
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [child_row("T-9", first_name='=HYPERLINK("http://evil.example","fix me")', gender="M")],
    )
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, [])

    import_tracker(children, episodes)

    (row,) = read_csv(tmp_path / "children.rejects.csv")
    assert row["first_name"] == '\'=HYPERLINK("http://evil.example","fix me")'


LONG_NAME = "Bartholomew" + "e" * 9_989  # 10,000 characters (issue 16)
LONG_NAME_QUOTED = f'"{LONG_NAME[:40]}…" (10,000 characters)'


def test_a_10000_character_value_is_quoted_short_in_the_console_and_the_rejects_reasons(
    tmp_path,
):
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [
            child_row("T-1", first_name=LONG_NAME),
            child_row("T-2", gender=LONG_NAME),
            child_row("T-3"),
        ],
    )
    episodes = write_csv(
        tmp_path / "episodes.csv",
        EPISODE_COLUMNS,
        [
            episode_row("POL-1", "T-3", with_children=LONG_NAME),
            episode_row("POL-2", "T-3", push_pull_factors=f"gang;{LONG_NAME}"),
            episode_row("POL-3", "T-3", last_seen_at=LONG_NAME),
        ],
    )

    output = import_tracker(children, episodes)

    assert "Children: 1 created, 0 updated, 0 unchanged, 2 rejected" in output
    assert LONG_NAME[:41] not in output
    assert f"first_name: {LONG_NAME_QUOTED} is longer than" in output
    rejected = {row["child_ref"]: row for row in read_csv(tmp_path / "children.rejects.csv")}
    # The row's own columns are kept whole, to be corrected and imported again.
    assert rejected["T-1"]["first_name"] == LONG_NAME
    assert rejected["T-2"]["gender"] == LONG_NAME
    for row in rejected.values():
        assert LONG_NAME[:41] not in row["reasons"]
        assert LONG_NAME_QUOTED in row["reasons"]
    episode_rejects = read_csv(tmp_path / "episodes.rejects.csv")
    assert len(episode_rejects) == 3
    for row in episode_rejects:
        assert LONG_NAME[:41] not in row["reasons"], row["reasons"][:200]
        assert LONG_NAME_QUOTED in row["reasons"]
    assert episode_rejects[0]["with_children"] == LONG_NAME


def test_a_10000_character_value_in_a_police_notification_is_quoted_short(tmp_path):
    columns = ["child_ref", "first_name", "last_name", "date_of_birth", "gender"]
    columns += [EPISODE_COLUMNS[0], *EPISODE_COLUMNS[2:]]
    path = write_csv(
        tmp_path / "police.csv",
        columns,
        [{**child_row("N-1", last_name=LONG_NAME), **episode_row("PN-1", "N-1")}],
    )

    output = run("import_police_notifications", str(path))

    assert LONG_NAME[:41] not in output
    (row,) = read_csv(tmp_path / "police.rejects.csv")
    assert row["last_name"] == LONG_NAME
    assert f"last_name: {LONG_NAME_QUOTED} is longer than" in row["reasons"]
    assert LONG_NAME[:41] not in row["reasons"]
