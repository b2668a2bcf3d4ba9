"""The agenda built from the records (SPEC C7, 003 A5): each section and why each child
is on it; rebuilding keeps what was discussed."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.exploitation.models import ExploitationType
from mace.exploitation.tests.helpers import assess
from mace.interviews.models import ReturnInterview
from mace.meetings import agenda, panels
from mace.meetings.models import AgendaItem
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.models import LocalAuthority, Placement
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)
SIGNIFICANT_HARM = ["SH3", "SH19"]


def report(actor, child, hours_ago=10, **kwargs):
    kwargs.setdefault("kind", "missing")
    kwargs.setdefault("missing_from", "home")
    return episodes.episode_report(
        actor=actor,
        child=child,
        last_seen_at=NOW - hours_ago * HOUR,
        reported_at=NOW - (hours_ago - 1) * HOUR,
        **kwargs,
    )


@pytest.fixture
def series():
    return weekly_series()


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


def child_of(worker, team, **fields):
    return ChildFactory(allocated_worker=worker, team=team, **fields)


def build(series):
    return agenda.build(series, next_day(series))


def test_a_child_missing_now_is_on_the_missing_section(users, series, worker, team):
    child = child_of(worker, team)
    report(users[Role.POLICE_OFFICER], child)

    reasons = build(series)["missing"][child.pk]

    assert "Missing now" in reasons
    assert "Missing since the last meeting" in reasons


def test_a_child_back_home_before_the_last_meeting_is_not_on_it(users, series, worker, team):
    child = child_of(worker, team)
    episode = report(users[Role.POLICE_OFFICER], child, hours_ago=24 * 20)
    episodes.episode_record_return(
        actor=users[Role.POLICE_OFFICER], episode=episode, returned_at=NOW - 24 * 19 * HOUR
    )

    reasons = build(series)["missing"].get(child.pk, [])
    assert "Missing now" not in reasons
    assert "Missing since the last meeting" not in reasons
    assert "Return interview overdue" in reasons  # none recorded, and it is still due


def test_repeat_missing_and_placed_here_by_another_authority(users, series, worker, team):
    child = child_of(worker, team)
    lewisham = LocalAuthority.objects.create(ons_code="E09000023", name="Lewisham")
    home = LocalAuthority.objects.get_or_create(ons_code="E09999901", defaults={"name": "Home"})[0]
    Placement.objects.create(
        child=child,
        kind="foster",
        placing_authority=lewisham,
        host_authority=home,
        start_date=timezone.localdate() - datetime.timedelta(days=300),
    )
    officer = users[Role.POLICE_OFFICER]
    first = report(officer, child, hours_ago=24 * 40, missing_from="care")
    episodes.episode_record_return(actor=officer, episode=first, returned_at=NOW - 24 * 39 * HOUR)
    report(officer, child, missing_from="care")

    reasons = build(series)["missing"][child.pk]

    assert "Repeat missing: 2 episodes in 12 months" in reasons
    assert "Placed here by Lewisham" in reasons


def test_a_refused_return_interview_is_listed(users, series, worker, team):
    child = child_of(worker, team)
    episode = report(users[Role.POLICE_OFFICER], child, hours_ago=30)
    ReturnInterview.objects.create(
        episode=episode, status=ReturnInterview.Status.DECLINED, referred_at=NOW - 20 * HOUR
    )

    assert "Return interview refused" in build(series)["missing"][child.pk]


def test_exploitation_cases_go_to_their_section_by_type(users, series, worker, team):
    sexual = child_of(worker, team)
    criminal = child_of(worker, team)
    assess(worker, sexual, yes=SIGNIFICANT_HARM)
    assess(worker, criminal, yes=["SH3"], exploitation_type=ExploitationType.CRIMINAL)

    built = build(series)

    assert sexual.pk in built["cse"]
    assert "significant harm" in built["cse"][sexual.pk][0]
    assert criminal.pk in built["gangs_prevent"]
    assert criminal.pk not in built["cse"]


def test_a_case_whose_latest_assessment_shows_no_risk_is_not_reviewed(users, series, worker, team):
    child = child_of(worker, team)
    assess(worker, child, yes=["SH3"], assessed_at=NOW - 48 * HOUR)
    assess(worker, child, no=["SH3"], assessed_at=NOW - HOUR)

    assert child.pk not in build(series)["cse"]


def test_the_sections_follow_the_cadence(users, worker, team):
    a5 = weekly_series(name="A5", sections={"missing": [], "cse": [2, 4], "gangs_prevent": [1]})
    child = child_of(worker, team)
    assess(worker, child, yes=["SH3"])
    today = timezone.localdate()
    days = [
        d for d in [today + datetime.timedelta(days=n) for n in range(1, 36)] if d.weekday() == 1
    ]
    second = next(d for d in days if 8 <= d.day <= 14)
    first = next(d for d in days if d.day <= 7)

    assert child.pk in agenda.build(a5, second)["cse"]
    assert set(agenda.build(a5, first)) == {"missing", "gangs_prevent"}


def test_T16_supervision_overdue_is_listed_for_children_already_on_the_agenda(users, worker, team):
    series = weekly_series(name="Missing only", sections={"missing": [], "supervision": []})
    on_agenda = child_of(worker, team)
    elsewhere = child_of(worker, team)
    for child in (on_agenda, elsewhere):  # at risk for 40 days, never discussed: T16 overdue
        assess(worker, child, yes=["SH3"], assessed_at=NOW - 24 * 40 * HOUR)
    report(users[Role.POLICE_OFFICER], on_agenda)

    built = build(series)

    assert on_agenda.pk in built["supervision"]
    assert built["supervision"][on_agenda.pk][0].startswith("Supervision was due")
    assert elsewhere.pk not in built["supervision"]


def test_rebuilding_keeps_discussed_children_and_drops_the_rest(users, series, worker, team):
    coordinator = users[Role.MISSING_COORDINATOR]
    child = child_of(worker, team)
    other = child_of(worker, team)
    officer = users[Role.POLICE_OFFICER]
    episode = report(officer, child)
    other_episode = report(officer, other)
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    panels.agenda_build(actor=coordinator, meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting, child=child, section="missing")
    panels.discussion_record(actor=coordinator, item=item, discussion="Discussed")
    for ep in (episode, other_episode):
        ep.delete()

    panels.agenda_build(actor=coordinator, meeting=meeting)

    sections = set(meeting.items.values_list("child_id", "section"))
    assert (child.pk, "missing") in sections
    assert (other.pk, "missing") not in sections


def test_a_date_the_panel_does_not_meet_is_refused(users, series):
    wednesday = next_day(series) + datetime.timedelta(days=1)
    with pytest.raises(Exception, match="does not meet on"):
        panels.panel_meeting_open(
            actor=users[Role.MISSING_COORDINATOR], series=series, day=wednesday
        )


def test_the_education_section_on_the_third_tuesday_lists_the_register_and_the_tracker(
    users, worker, team
):
    import decimal

    from mace.education import services as education

    a5 = weekly_series(name="A5 education", sections={"missing": [], "education": [3]})
    officer = users[Role.INCLUSION_OFFICER]
    on_register = child_of(worker, team, date_of_birth=datetime.date(2013, 4, 4))
    of_concern = child_of(worker, team, date_of_birth=datetime.date(2012, 6, 6))
    resolved = child_of(worker, team, date_of_birth=datetime.date(2012, 7, 7))
    closed = child_of(worker, team, date_of_birth=datetime.date(2012, 8, 8))
    education.cme_notify(
        actor=officer,
        child=on_register,
        school="Oakhollow Primary School",
        reason="absent_10_days",
        absent_since=datetime.date(2025, 10, 20),
        destination="unknown",
    )
    gone = education.cme_notify(
        actor=officer,
        child=closed,
        school="Oakhollow Primary School",
        reason="left_suddenly",
        absent_since=datetime.date(2025, 10, 20),
        destination="known",
    )
    education.cme_close(
        actor=officer,
        case=gone,
        expected_version=gone.version,
        outcome="on_roll",
        closed_on=datetime.date(2025, 11, 20),
    )
    for child, hours in ((of_concern, 6), (resolved, 8)):
        entry = education.missing_out_entry_add(
            actor=officer,
            school="Oakhollow Primary School",
            term="2025-26 autumn",
            received_on=datetime.date(2025, 11, 20),
            child=child,
            reason="medical",
            hours_per_week=decimal.Decimal(hours),
            has_ehcp=False,
        )
        if child is resolved:
            education.missing_out_resolve(
                actor=officer,
                entry=entry,
                resolution="Back full time",
                resolved_on=datetime.date(2025, 12, 1),
            )
    today = timezone.localdate()
    tuesdays = [
        d for d in [today + datetime.timedelta(days=n) for n in range(1, 36)] if d.weekday() == 1
    ]
    third = next(d for d in tuesdays if 15 <= d.day <= 21)
    other = next(d for d in tuesdays if not 15 <= d.day <= 21)

    section = agenda.build(a5, third)["education"]
    assert set(section) == {on_register.pk, of_concern.pk}
    assert section[on_register.pk] == ["Missing education since 20 Oct 2025, destination unknown"]
    assert section[of_concern.pk] == [
        "Missing out on education (Oakhollow Primary School): attends less than 10 hours a week"
    ]
    assert "education" not in agenda.build(a5, other)
