"""Annex A list 8 and the Standard Safeguarding Dataset's missing object, every column
against a known dataset, with the edges: an episode that began before the window, one still
open at its end, a child with no interview, a declined interview."""

import csv
import datetime
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from mace.episodes.models import Episode
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=LONDON)


def episode(child, seen, returned=None, kind="missing"):
    return Episode.objects.create(
        child=child,
        kind=kind,
        missing_from="care",
        legal_status="CLA",
        last_seen_at=seen,
        reported_at=seen,
        returned_at=returned,
    )


def interview(ep, status, response=None):
    found = ReturnInterview.objects.create(
        episode=ep, provider_rule="test", referred_at=ep.returned_at, status=status
    )
    if response:
        InterviewOffer.objects.create(
            interview=found,
            offered_at=ep.returned_at + datetime.timedelta(hours=20),
            response=response,
        )


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def known():
    accepted = ChildFactory.create(date_of_birth=datetime.date(2011, 1, 1))
    declined = ChildFactory.create(date_of_birth=datetime.date(2011, 2, 2))
    no_episodes = ChildFactory.create(date_of_birth=datetime.date(2011, 3, 3))
    not_in_care = ChildFactory.create(date_of_birth=datetime.date(2011, 4, 4))
    for child in (accepted, declined, no_episodes):
        LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    LegalStatus.objects.create(
        child=not_in_care,
        status="CLA",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    # Before the 12 months (last seen 31 March 2025, ended 1 April): not counted.
    episode(accepted, at(2025, 3, 31, 22), at(2025, 4, 1, 10))
    first = episode(accepted, at(2025, 6, 1, 20), at(2025, 6, 2, 9))
    interview(first, ReturnInterview.Status.DECLINED, "declined")
    episode(accepted, at(2025, 9, 1, 20), at(2025, 9, 1, 23), kind="away")
    last = episode(accepted, at(2026, 2, 1, 20), at(2026, 2, 2, 9))
    interview(last, ReturnInterview.Status.COMPLETED, "accepted")
    refused = episode(declined, at(2026, 1, 10, 20), at(2026, 1, 11, 9))
    interview(refused, ReturnInterview.Status.DECLINED, "declined")
    episode(declined, at(2026, 3, 31, 23, 30))  # still open at the end: the last episode
    episode(not_in_care, at(2025, 7, 7, 20), at(2025, 7, 8, 8))
    return {"accepted": accepted, "declined": declined, "none": no_episodes, "out": not_in_care}


def test_annex_a_list_8_missing_columns(known, tmp_path):
    out = tmp_path / "annex-a.csv"
    call_command("export_inspection", "annex-a", "--date", "2026-03-31", "--out", str(out))
    rows = read(out)
    assert rows[0][0] == "Child Unique ID"
    by_child = {row[0]: row[1:] for row in rows[1:]}
    assert by_child == {
        known["accepted"].reference: ["2", "1", "Yes", "Yes"],
        # The last episode is still open, no interview yet: not offered, not accepted.
        known["declined"].reference: ["2", "0", "No", "No"],
        known["none"].reference: ["0", "0", "", ""],
    }  # the child who left care in December is not in the list


def test_annex_a_lists_a_child_in_care_on_the_day_not_one_who_left_and_is_now_a_child_in_need(
    tmp_path,
):
    """In care on the day: a CLA period in force that day. A child whose care ended before the
    day and who has an open child-in-need status since was listed before issue 17, because
    the ended CLA period and the open CIN one matched the two halves of the rule."""
    left = ChildFactory.create()
    LegalStatus.objects.create(
        child=left,
        status="CLA",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    LegalStatus.objects.create(child=left, status="CIN", start_date=datetime.date(2026, 1, 1))
    stays = ChildFactory.create()
    LegalStatus.objects.create(
        child=stays,
        status="CLA",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 3, 31),  # the last day in care is the day of the list
    )
    out = tmp_path / "annex-a.csv"
    call_command("export_inspection", "annex-a", "--date", "2026-03-31", "--out", str(out))
    assert [row[0] for row in read(out)[1:]] == [stays.reference]


def test_the_standard_safeguarding_dataset_missing_object(known, tmp_path):
    out = tmp_path / "ssd.csv"
    call_command(
        "export_inspection",
        "ssd",
        "--from",
        "2025-04-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
    )
    rows = read(out)
    assert rows[0] == [
        "missing_table_id",
        "person_id",
        "missing_episode_start_date",
        "missing_episode_end_date",
        "missing_episode_type",
        "missing_rhi_offered",
        "missing_rhi_accepted",
    ]
    body = [row[1:] for row in rows[1:]]
    a, d, o = known["accepted"].reference, known["declined"].reference, known["out"].reference
    assert body == [
        [a, "2025-06-01 20:00", "2025-06-02 09:00", "Missing", "Y", "N"],
        [o, "2025-07-07 20:00", "2025-07-08 08:00", "Missing", "N", "N"],
        [a, "2025-09-01 20:00", "2025-09-01 23:00", "Absent", "N", "N"],
        [d, "2026-01-10 20:00", "2026-01-11 09:00", "Missing", "Y", "N"],
        [a, "2026-02-01 20:00", "2026-02-02 09:00", "Missing", "Y", "Y"],
        [d, "2026-03-31 23:30", "", "Missing", "N", "N"],
    ]


def test_bad_arguments_say_what_to_fix(tmp_path):
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "export_inspection", "annex-a", "--date", "31/03/2026", "--out", str(tmp_path / "a.csv")
        )
    with pytest.raises(CommandError, match="before --from"):
        call_command(
            "export_inspection",
            "ssd",
            "--from",
            "2026-03-31",
            "--to",
            "2025-04-01",
            "--out",
            str(tmp_path / "s.csv"),
        )
    with pytest.raises(CommandError, match="is not a folder"):
        call_command(
            "export_inspection",
            "annex-a",
            "--date",
            "2026-03-31",
            "--out",
            str(tmp_path / "no" / "a.csv"),
        )
