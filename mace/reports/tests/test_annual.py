"""Every figure of the annual report against a small known dataset, with the edges SPEC
section 5 and issue 7 name: an episode that starts before the period and ends in it, one
still open, a child whose status changed between episodes, an episode exactly 18 hours long,
and datetimes across the changes to and from British Summer Time."""

import datetime
import json
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from mace.episodes.models import Episode
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.tests.factories import ChildFactory
from mace.reports import annual, output, suppression
from mace.worklist.engine import sync_child

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
PERIOD = annual.Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))


def at(*parts, tz=LONDON):
    return datetime.datetime(*parts, tzinfo=tz)


def episode(child, last_seen, status, returned=None, kind="missing", missing_from="home"):
    return Episode.objects.create(
        child=child,
        kind=kind,
        missing_from=missing_from,
        legal_status=status,
        last_seen_at=last_seen,
        reported_at=last_seen + datetime.timedelta(hours=1),
        returned_at=returned,
    )


def interview(ep, status, offered_after=None):
    found = ReturnInterview.objects.create(
        episode=ep, provider_rule="test", referred_at=ep.returned_at, status=status
    )
    if offered_after is not None:
        InterviewOffer.objects.create(
            interview=found,
            offered_at=ep.returned_at + offered_after,
            response="declined" if status == ReturnInterview.Status.DECLINED else "accepted",
        )
    return found


@pytest.fixture
def known():
    """Three children, six episodes; four of them in the period."""
    a = ChildFactory.create(gender="female", date_of_birth=datetime.date(2010, 6, 1))
    b = ChildFactory.create(gender="male", date_of_birth=datetime.date(2009, 2, 1))
    c = ChildFactory.create(gender="unknown", date_of_birth=datetime.date(2012, 9, 9))
    # Began the evening before the period, ended inside it: the earlier period's.
    episode(a, at(2025, 3, 31, 23, 30), "CLA", at(2025, 4, 1, 10), missing_from="care")
    # 00:30 BST on the first day (23:30 UTC the day before); exactly 18 hours.
    e2 = episode(
        a,
        at(2025, 4, 1, 0, 30),
        "CLA",
        at(2025, 4, 1, 18, 30),
        missing_from="care",
    )
    # The child's status has changed; 01:30 GMT just after the clocks go back; 18h 1m.
    e3 = episode(
        a,
        at(2025, 10, 26, 1, 30, tz=UTC),
        "CIN",
        at(2025, 10, 26, 19, 31, tz=UTC),
    )
    # 23:30 BST on the last day (22:30 UTC): in the period, local hour 23; still open.
    episode(b, at(2026, 3, 31, 23, 30), "NONE")
    # 00:15 BST on the day after (23:15 UTC on the last day): not in the period.
    episode(c, at(2026, 4, 1, 0, 15), "CP", kind="away", missing_from="care")
    e6 = episode(
        c,
        at(2025, 12, 15, 20),
        "CP",
        at(2025, 12, 16, 2),
        kind="away",
        missing_from="care",
    )
    interview(e2, ReturnInterview.Status.COMPLETED, datetime.timedelta(hours=72))
    interview(e3, ReturnInterview.Status.DECLINED, datetime.timedelta(hours=73))
    interview(e6, ReturnInterview.Status.REFERRED)  # referred, never offered
    # Written around the services, so brought in step as each service does after a change.
    for child in (a, b, c):
        sync_child(child)
    return {"a": a, "b": b, "c": c}


def test_every_spec_figure_of_the_annual_report(known):
    report = annual.build(PERIOD)

    assert report["episodes"] == 4
    assert report["children"] == 3
    assert report["episodes_by_legal_status"] == {
        "NONE": 1,
        "EH": 0,
        "CIN": 1,
        "CP": 1,
        "CLA": 1,
        "CARE_LEAVER": 0,
    }
    # The first child once under each status they had: CLA, then CIN.
    assert report["children_by_legal_status"] == {
        "NONE": 1,
        "EH": 0,
        "CIN": 1,
        "CP": 1,
        "CLA": 1,
        "CARE_LEAVER": 0,
    }
    assert report["pct_episodes_by_legal_status"] == {
        "NONE": 25.0,
        "EH": 0.0,
        "CIN": 25.0,
        "CP": 25.0,
        "CLA": 25.0,
        "CARE_LEAVER": 0.0,
    }
    assert report["children_with_more_than_one_episode"] == 1
    assert report["pct_children_with_more_than_one_episode"] == 33.3
    assert report["episodes_18h_or_less"] == 2  # exactly 18 hours counts, and the 6-hour one
    assert report["pct_episodes_18h_or_less"] == 66.7  # of the 3 that have ended
    assert report["episodes_over_18h"] == 1
    assert report["still_missing"] == 1
    hours = [0] * 24
    hours[0] = hours[1] = hours[20] = hours[23] = 1
    assert report["episodes_by_hour_started"] == hours
    assert report["by_gender"] == {"male": 1, "female": 1, "other": 0, "unknown": 1}
    monthly = {row["month"]: row for row in report["monthly"]}
    assert list(monthly) == [f"2025-{m:02d}" for m in range(4, 13)] + [
        f"2026-{m:02d}" for m in range(1, 4)
    ]
    assert monthly["2025-04"] == {
        "month": "2025-04",
        "missing_from_home": 0,
        "missing_from_care": 1,
        "away_from_placement": 0,
    }
    assert monthly["2025-10"]["missing_from_home"] == 1
    assert monthly["2025-12"]["away_from_placement"] == 1
    assert monthly["2026-03"]["missing_from_home"] == 1
    assert (
        sum(
            r["missing_from_home"] + r["missing_from_care"] + r["away_from_placement"]
            for r in report["monthly"]
        )
        == 4
    )
    assert report["rhi"] == {
        "offered": 2,
        "offered_within_72h": 1,
        "accepted": 1,
        "completed": 1,
        "completed_within_72h": 0,  # completed, but no completion time recorded
        "declined": 1,
    }


def test_the_other_figures(known):
    report = annual.build(PERIOD)
    assert report["episodes_by_day_started"]["Tuesday"] == 2  # 1 Apr 2025 and 31 Mar 2026
    assert report["episodes_by_day_started"]["Sunday"] == 1  # 26 Oct 2025
    assert report["episodes_by_day_started"]["Monday"] == 1  # 15 Dec 2025
    assert sum(report["episodes_by_age"].values()) == 4
    assert report["episodes_by_age"]["13-15"] == 3  # the first child at 14 and 15; the third at 13
    assert report["episodes_by_age"]["16-17"] == 1  # the second child at 17
    assert report["exploitation"]["children_assessed"] == 0
    assert report["found"] == 3
    assert report["peak_hour"] == 0  # four hours with one each: the earliest
    assert report["peak_day"] == "Tuesday"
    assert report["episodes_from_care_by_placement_type"] == {"Not recorded": 2}


def test_the_exploitation_figures(users, default_instrument):
    from mace.disruption.models import DisruptionOutcome
    from mace.exploitation.tests.helpers import assess
    from mace.intelligence.tests.factories import PersonOfConcernFactory
    from mace.people.models import LegalStatus

    worker = users["missing_coordinator"]
    ceased = ChildFactory.create(gender="female", date_of_birth=datetime.date(2010, 1, 1))
    named = ChildFactory.create(gender="male", date_of_birth=datetime.date(2011, 1, 1))
    LegalStatus.objects.create(child=named, status="CP", start_date=datetime.date(2025, 1, 1))
    assess(worker, ceased, yes=["SH3"], assessed_at=at(2025, 2, 1, 10))  # before the period
    assess(worker, ceased, no=["SH3"], assessed_at=at(2025, 6, 1, 10))
    assess(
        worker,
        named,
        yes=["SH3"],
        assessed_at=at(2025, 7, 1, 10),
        offenders="An older male known as 'Jez'",
    )
    episode(named, at(2025, 8, 1, 20), "CP", at(2025, 8, 2, 8))
    sync_child(named)
    for person in (None, PersonOfConcernFactory.create()):
        DisruptionOutcome.objects.create(
            kind="cawn",
            occurred_on=datetime.date(2025, 9, 9),
            agency=users["police_officer"].agency,
            child=named,
            person=person,
            recorded_by=worker,
        )
    block = annual.build(PERIOD)["exploitation"]
    assert block["children_assessed"] == 2
    assert block["by_gender"] == {"male": 1, "female": 1, "other": 0, "unknown": 0}
    assert block["by_legal_status"]["CP"] == 1
    assert block["by_legal_status"]["NONE"] == 1
    assert block["indicators_answered_yes"] == {"SH3": 1}
    assert (block["suspects_named"], block["suspects_not_named"]) == (1, 1)
    assert block["also_missing"] == 1
    assert (block["ceased"], block["re_referred"]) == (1, 0)
    assert block["disruption_outcomes"]["cawn"] == 1  # the one naming a person is restricted


def test_a_period_with_nothing_in_it_divides_by_nothing_safely():
    report = annual.build(annual.Period(datetime.date(2020, 1, 1), datetime.date(2020, 1, 31)))
    assert report["episodes"] == 0
    assert report["pct_episodes_18h_or_less"] == 0.0
    assert set(report["pct_episodes_by_legal_status"].values()) == {0.0}


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        annual.Period(datetime.date(2026, 3, 31), datetime.date(2025, 4, 1))


def test_the_command_line_as_spec_section_5_gives_it(known, tmp_path):
    out = tmp_path / "annual.json"
    call_command(
        "report",
        "annual",
        "--from",
        "2025-04-01",
        "--to",
        "2026-03-31",
        "--format",
        "json",
        "--out",
        str(out),
    )
    data = json.loads(out.read_text())
    for key in (
        "episodes",
        "children",
        "episodes_by_legal_status",
        "children_by_legal_status",
        "pct_episodes_by_legal_status",
        "children_with_more_than_one_episode",
        "pct_children_with_more_than_one_episode",
        "episodes_18h_or_less",
        "pct_episodes_18h_or_less",
        "still_missing",
        "episodes_by_hour_started",
        "by_gender",
        "monthly",
        "rhi",
    ):
        assert key in data
    assert data["episodes"] == 4
    for fmt, magic in (("csv", b"\xef\xbb\xbfFigure,Value"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        target = tmp_path / f"annual.{fmt}"
        call_command(
            "report",
            "annual",
            "--from",
            "2025-04-01",
            "--to",
            "2026-03-31",
            "--format",
            fmt,
            "--out",
            str(target),
        )
        assert target.read_bytes().startswith(magic)
    text = (tmp_path / "annual.csv").read_text(encoding="utf-8-sig")
    assert "Episodes by legal status at the time: Looked after,1" in text
    assert "Children each month: 2025-12: Away from placement without authorisation,1" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1/4/2025", "--to", "2026-03-31"], "is not a date"),
        (["--from", "2026-03-31", "--to", "2025-04-01"], "before it starts"),
    ],
)
def test_bad_dates_say_what_to_fix(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "annual", *args)


def test_a_published_report_suppresses_small_numbers(known, settings):
    settings.REPORT_SUPPRESS_BELOW = 5
    report = suppression.published(annual.build(PERIOD))
    assert report["episodes"] is None  # 4 is fewer than 5
    assert report["episodes_by_legal_status"]["CLA"] is None
    assert report["episodes_by_legal_status"]["EH"] == 0  # nothing to hide in a zero
    assert report["pct_episodes_by_legal_status"]["CLA"] is None
    assert report["pct_episodes_by_legal_status"]["EH"] == 0.0
    assert report["pct_children_with_more_than_one_episode"] is None
    assert report["suppressed_below"] == 5
    assert "<5" in output.as_csv(report).decode("utf-8-sig")
    settings.REPORT_SUPPRESS_BELOW = 2
    assert suppression.published(annual.build(PERIOD))["episodes"] == 4


def test_ceased_and_re_referred_compare_with_the_assessment_just_before_the_latest(
    users, default_instrument
):
    """Two in the period: the earlier of them, not the one before the period, is compared."""
    from mace.exploitation.tests.helpers import assess

    worker = users["missing_coordinator"]
    back = ChildFactory.create()
    # Open risk before the period, none early in it, open again at its end: re-referred.
    assess(worker, back, yes=["SH3"], assessed_at=at(2025, 1, 1, 10))
    assess(worker, back, no=["SH3"], assessed_at=at(2025, 5, 1, 10))
    assess(worker, back, yes=["SH3"], assessed_at=at(2026, 3, 1, 10))
    # Never assessed before; open, then not: ceased within the period.
    gone = ChildFactory.create()
    assess(worker, gone, yes=["SH3"], assessed_at=at(2025, 5, 1, 10))
    assess(worker, gone, no=["SH3"], assessed_at=at(2025, 9, 1, 10))
    # Only once, in the period: neither.
    once = ChildFactory.create()
    assess(worker, once, yes=["SH3"], assessed_at=at(2025, 5, 1, 10))

    block = annual.build(PERIOD)["exploitation"]
    assert block["children_assessed"] == 3
    assert (block["ceased"], block["re_referred"]) == (1, 1)
