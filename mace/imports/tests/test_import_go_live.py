"""Issue 18 point 1: history without a flood. A tracker of several years imported with a
go-live: what ended before it is recorded as history (its items born closed, no one told),
a child still missing at go-live gets live items, and the reports count every episode."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.configuration import store
from mace.configuration.models import PartnershipSetting, SettingKey
from mace.episodes.models import Episode
from mace.imports.tests.test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    import_tracker,
    write_csv,
)
from mace.people.models import Child, ChildIdentifier
from mace.reports.annual import Period, build
from mace.worklist.models import DueItem, Notification

pytestmark = pytest.mark.django_db

GO_LIVE = "2026-04-01"
HISTORY = ("H-1", "H-2", "H-3")
STILL_MISSING = "L-1"


@pytest.fixture(autouse=True)
def no_go_live_set(settings):
    settings.GO_LIVE_DATE = ""


@pytest.fixture
def years_of_tracker(tmp_path: Path) -> tuple[Path, Path]:
    """2019-22: three children whose episodes all ended, one of them looked after and placed
    here by another authority (T2, T3, T8, T10-T12); and a child missing since 2022."""
    children = write_csv(
        tmp_path / "children.csv",
        CHILD_COLUMNS,
        [
            child_row("H-1", date_of_birth="2008-02-01", legal_status="CIN"),
            child_row(
                "H-2",
                date_of_birth="2007-05-05",
                gender="male",
                legal_status="CLA",
                placing_authority="Barnet",
            ),
            child_row("H-3", date_of_birth="2009-09-09", legal_status="CIN"),
            child_row(STILL_MISSING, date_of_birth="2010-01-10", legal_status="CIN"),
        ],
    )
    rows = [
        episode_row(
            "P-H1-1", "H-1", last_seen_at="2019-03-02T21:00", returned_at="2019-03-03T09:00"
        ),
        episode_row(
            "P-H1-2", "H-1", last_seen_at="2020-07-10T18:00", returned_at="2020-07-11T10:00"
        ),
        episode_row(
            "P-H1-3",
            "H-1",
            last_seen_at="2021-01-05T22:00",
            returned_at="2021-01-06T08:00",
            police_risk="high",
        ),
        episode_row(
            "P-H3-1", "H-3", last_seen_at="2022-12-01T20:00", returned_at="2022-12-02T07:00"
        ),
        episode_row(
            "P-L1-1",
            STILL_MISSING,
            last_seen_at="2021-05-01T20:00",
            returned_at="2021-05-02T11:00",
        ),
        episode_row("P-L1-2", STILL_MISSING, last_seen_at="2022-11-20T19:00"),
    ]
    for number, (seen, back) in enumerate(
        [
            ("2020-02-01T20:00", "2020-02-02T09:00"),
            ("2021-03-01T20:00", "2021-03-03T09:00"),
            ("2022-04-01T20:00", "2022-04-01T23:00"),
        ],
        start=1,
    ):
        rows.append(
            episode_row(
                f"P-H2-{number}",
                "H-2",
                legal_status="CLA",
                missing_from="care",
                last_seen_at=seen,
                returned_at=back,
            )
        )
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, rows)
    return children, episodes


def child(ref: str) -> Child:
    return ChildIdentifier.objects.get(kind=ChildIdentifier.Kind.TRACKER, value=ref).child


def run_scheduled_checks() -> str:
    out = StringIO()
    call_command("run_scheduled_checks", stdout=out)
    return out.getvalue()


def test_history_before_go_live_is_born_closed_and_the_scheduled_checks_tell_no_one(
    years_of_tracker, users, django_capture_on_commit_callbacks
):
    output = import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    assert f"Go-live {GO_LIVE}" in output
    # No go-live was set: the run's becomes the setting, so the scheduled checks (later, in
    # another process) keep the same history, and the settings page shows it.
    assert "set for the partnership" in output
    assert store.value(SettingKey.GO_LIVE_DATE) == GO_LIVE
    recorded = AuditEvent.objects.get(summary__startswith="Go-live recorded")
    assert recorded.before == {"go_live_date": ""}
    assert recorded.after == {"go_live_date": GO_LIVE}
    history = [child(ref) for ref in HISTORY]
    missing = child(STILL_MISSING)

    historical = DueItem.objects.filter(status=DueItem.Status.HISTORICAL)
    assert historical.filter(child__in=history).count() >= 10
    assert {"T1", "T2", "T3", "T7", "T10", "T11", "T12"} <= set(
        historical.values_list("rule", flat=True)
    )
    assert not DueItem.objects.filter(child__in=history, status=DueItem.Status.OPEN).exists()

    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled_checks()

    # Nobody is told about history, in MACE or by email.
    assert not Notification.objects.filter(child__in=history).exists()
    assert not Notification.objects.filter(due_item__status=DueItem.Status.HISTORICAL).exists()
    assert not DueItem.objects.filter(child__in=history, status=DueItem.Status.OPEN).exists()
    # The child still missing at go-live has live items, and their owners hear of them.
    still_open = Episode.objects.get(police_reference="P-L1-2")
    live = DueItem.objects.filter(child=missing, status=DueItem.Status.OPEN)
    assert set(live.values_list("rule", flat=True)) >= {"T1", "T16"}
    assert live.get(rule="T1").episode == still_open
    assert live.get(rule="T16").due_at.date() == datetime.date(2026, 4, 29)  # go-live + 4 weeks
    ended = Episode.objects.get(police_reference="P-L1-1")
    assert DueItem.objects.get(key=f"T7:episode:{ended.pk}").status == DueItem.Status.HISTORICAL
    told = Notification.objects.all()
    assert told.exists()
    assert set(told.values_list("child_id", flat=True)) == {missing.pk}
    assert len(mail.outbox) == told.count()

    # A second run tells no one again.
    before = told.count()
    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled_checks()
    assert Notification.objects.count() == before


def test_without_a_go_live_the_same_history_floods_the_worklist(years_of_tracker, users):
    """What issue 18 saw: every old episode's items open, overdue, and everyone told."""
    import_tracker(*years_of_tracker)
    history = [child(ref) for ref in HISTORY]
    assert not DueItem.objects.filter(status=DueItem.Status.HISTORICAL).exists()
    run_scheduled_checks()
    assert Notification.objects.filter(child__in=history).count() >= 10


def test_history_stays_closed_when_the_scheduled_checks_run_with_the_go_live_set(
    years_of_tracker, users, settings
):
    import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    settings.GO_LIVE_DATE = GO_LIVE
    run_scheduled_checks()
    assert not Notification.objects.exclude(child=child(STILL_MISSING)).exists()


def test_reports_count_history_episodes_as_every_other(years_of_tracker, users):
    """The annual report reads episodes, not items: history counts in full."""
    import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    run_scheduled_checks()
    period = Period(datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))
    with_history = build(period)
    assert with_history["episodes"] == 9
    assert with_history["children"] == 4
    assert with_history["still_missing"] == 1
    DueItem.objects.filter(status=DueItem.Status.HISTORICAL).update(status=DueItem.Status.OPEN)
    assert build(period) == with_history


def test_worklist_pages_do_not_list_history_as_overdue(years_of_tracker, users, client_for):
    import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    run_scheduled_checks()
    coordinator = client_for(users[Role.MISSING_COORDINATOR])
    police = client_for(users[Role.POLICE_OFFICER])
    pages = [
        coordinator.get("/worklist/").content.decode(),
        coordinator.get("/worklist/missing/").content.decode(),
        police.get("/worklist/").content.decode(),
    ]
    for ref in HISTORY:
        reference = child(ref).reference
        assert all(reference not in page for page in pages)
    assert child(STILL_MISSING).reference in pages[2]  # T1: grade the open episode
    old = Episode.objects.get(police_reference="P-H1-3")
    page = coordinator.get(f"/episodes/{old.public_id}/").content.decode()
    assert "Historical (before go-live)" in page
    assert "Overdue" not in page


def test_go_live_differing_from_the_setting_is_refused(years_of_tracker, settings):
    settings.GO_LIVE_DATE = "2026-05-01"
    with pytest.raises(CommandError, match="the go-live set for the partnership is 2026-05-01"):
        import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    assert not Episode.objects.exists()


def test_go_live_must_be_a_date(years_of_tracker):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        import_tracker(*years_of_tracker, "--go-live", "1 April")


def test_police_notifications_take_a_go_live_too(tmp_path, users):
    path = write_csv(
        tmp_path / "police.csv",
        [*CHILD_COLUMNS, *[c for c in EPISODE_COLUMNS if c not in CHILD_COLUMNS]],
        [
            {
                **child_row("N-1", date_of_birth="2009-01-01"),
                **episode_row(
                    "PN-1", "N-1", last_seen_at="2020-01-01T20:00", returned_at="2020-01-02T08:00"
                ),
            }
        ],
    )
    out = StringIO()
    call_command(
        "import_police_notifications", str(path), "--quiet", "--go-live", GO_LIVE, stdout=out
    )
    items = DueItem.objects.filter(child=child("N-1"))
    assert items.exists()
    assert set(items.values_list("status", flat=True)) == {DueItem.Status.HISTORICAL}


def test_a_dry_run_records_no_go_live(years_of_tracker):
    import_tracker(*years_of_tracker, "--go-live", GO_LIVE, "--dry-run")
    assert not PartnershipSetting.objects.filter(key=SettingKey.GO_LIVE_DATE).exists()
    assert not DueItem.objects.exists()


def test_a_second_import_with_another_go_live_is_refused(years_of_tracker, users):
    import_tracker(*years_of_tracker, "--go-live", GO_LIVE)
    with pytest.raises(CommandError, match=f"the go-live set for the partnership is {GO_LIVE}"):
        import_tracker(*years_of_tracker, "--go-live", "2026-06-01")
