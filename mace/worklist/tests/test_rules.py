"""Each timescale and trigger of SPEC section 4 (T1-T12, T16), tested by name.

The tests go through the services, as a practitioner's actions would, and read the
worklist's due items: created when the rule applies, moved when the facts move, closed
when the thing is done.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.documents.models import DirectorLetter
from mace.episodes import services as episodes
from mace.episodes.models import EpisodeNotification
from mace.interviews import domain as interviews_domain
from mace.interviews import services as interviews
from mace.meetings import services as meetings
from mace.people.models import LegalStatus, LocalAuthority, Placement
from mace.people.tests.factories import ChildFactory
from mace.worklist.engine import sync_child
from mace.worklist.models import DueItem

HOUR = datetime.timedelta(hours=1)
NOW = timezone.now().replace(microsecond=0)
HOME_CODE = "E09999901"


def item(rule, **filters):
    return DueItem.objects.get(rule=rule, **filters)


@pytest.fixture
def home():
    return LocalAuthority.objects.get_or_create(
        ons_code=HOME_CODE, defaults={"name": "Northbridge Borough Council"}
    )[0]


@pytest.fixture
def elsewhere():
    return LocalAuthority.objects.get_or_create(ons_code="E09000022", defaults={"name": "Lambeth"})[
        0
    ]


@pytest.fixture
def providers():
    return {
        "looked_after": AgencyFactory(
            name="Independent Advocacy Service", kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER
        ),
        "under_13": AgencyFactory(name="Northbridge Family Wellbeing Service", kind="csc"),
        "13_and_over": AgencyFactory(name="Northbridge Targeted Youth Service", kind="youth"),
    }


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


@pytest.fixture
def officer(users):
    return users[Role.POLICE_OFFICER]


def make_child(worker, team, status="NONE", age=14, **extra):
    born = timezone.localdate() - datetime.timedelta(days=int(365.25 * age) + 30)
    child = ChildFactory(allocated_worker=worker, team=team, date_of_birth=born, **extra)
    LegalStatus.objects.create(
        child=child, status=status, start_date=timezone.localdate() - datetime.timedelta(days=400)
    )
    return child


def place(child, placing, host):
    return Placement.objects.create(
        child=child,
        kind="foster",
        placing_authority=placing,
        host_authority=host,
        start_date=timezone.localdate() - datetime.timedelta(days=300),
    )


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


def found(actor, episode, hours_ago=2, **details):
    return episodes.episode_record_return(
        actor=actor, episode=episode, returned_at=NOW - hours_ago * HOUR, **details
    )


@pytest.mark.django_db
def test_T1_risk_grade_is_due_at_report_and_closes_when_graded(officer, worker, team):
    child = make_child(worker, team)
    episode = report(officer, child)
    due = item("T1")
    assert due.status == "open"
    assert due.due_at == episode.reported_at
    assert due.role == Role.POLICE_OFFICER
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="medium")
    assert item("T1").status == "done"


@pytest.mark.django_db
@pytest.mark.parametrize("grade", ["very_low", "low"])
def test_T1_a_child_is_graded_no_lower_than_the_minimum(officer, worker, team, grade):
    child = make_child(worker, team)
    episode = report(officer, child)
    with pytest.raises(ValidationError, match="at least Medium"):
        episodes.episode_grade_risk(actor=officer, episode=episode, grade=grade)
    assert not episode.risk_gradings.exists()
    assert item("T1").status == "open"


@pytest.mark.django_db
def test_T1_minimum_grade_is_a_setting(officer, worker, team, settings):
    settings.MINIMUM_POLICE_RISK_GRADE = "low"
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="low")
    with pytest.raises(ValidationError):
        episodes.episode_grade_risk(actor=officer, episode=episode, grade="very_low")


@pytest.mark.django_db
def test_T2_allocated_worker_told_at_once_and_parents_due(officer, worker, team):
    child = make_child(worker, team, status="CLA")
    episode = report(officer, child, missing_from="care")
    assert item("T2", key__startswith="T2:worker").status == "done"
    assert worker.notifications.filter(kind="child_missing", child=child).exists()
    parents = item("T2", key__startswith="T2:parents")
    assert parents.status == "open"
    assert parents.assignee == worker
    assert parents.due_at == episode.reported_at
    episodes.episode_record_notification(
        actor=worker,
        episode=episode,
        recipient=EpisodeNotification.Recipient.PARENTS,
        not_notified_reason="Parents' contact would put the child at risk (court order)",
    )
    assert item("T2", key__startswith="T2:parents").status == "done"


@pytest.mark.django_db
def test_T2_does_not_apply_to_a_child_missing_from_home(officer, worker, team):
    report(officer, make_child(worker, team, status="CIN"))
    assert not DueItem.objects.filter(rule="T2").exists()


@pytest.mark.django_db
def test_T3_strategy_meeting_within_24_hours_for_a_looked_after_child(officer, worker, team):
    child = make_child(worker, team, status="CLA")
    episode = report(officer, child, missing_from="care")
    due = item("T3")
    assert due.due_at == episode.reported_at + 24 * HOUR
    assert due.status == "open"
    meetings.strategy_meeting_record(
        actor=worker,
        child=child,
        episode=episode,
        reason="cla_missing",
        held_at=NOW - HOUR,
        attendees="Social worker\nPolice public protection",
        s47_enquiry=False,
    )
    assert item("T3").status == "done"


@pytest.mark.django_db
def test_T4_safe_and_well_within_1_hour_when_high_risk(officer, worker, team):
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="high")
    episode = found(officer, episode)
    due = DueItem.objects.get(key=f"safe_and_well:episode:{episode.pk}")
    assert due.rule == "T4"
    assert due.due_at == episode.returned_at + HOUR
    interviews.safe_and_well_record(
        actor=officer, episode=episode, conducted_at=episode.returned_at + 30 * 60 * HOUR / 3600
    )
    due.refresh_from_db()
    assert due.status == "done"


@pytest.mark.django_db
def test_T5_safe_and_well_within_3_hours_for_other_grades(officer, worker, team):
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="medium")
    episode = found(officer, episode)
    due = DueItem.objects.get(key=f"safe_and_well:episode:{episode.pk}")
    assert due.rule == "T5"
    assert due.due_at == episode.returned_at + 3 * HOUR
    assert due.status == "open"


@pytest.mark.django_db
def test_T4_and_T5_follow_a_change_of_grade(officer, worker, team):
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(
        actor=officer, episode=episode, grade="medium", graded_at=NOW - 8 * HOUR
    )
    episode = found(officer, episode, hours_ago=2)
    episodes.episode_grade_risk(
        actor=officer, episode=episode, grade="high", graded_at=NOW - 3 * HOUR
    )
    due = DueItem.objects.get(key=f"safe_and_well:episode:{episode.pk}")
    assert (due.rule, due.due_at) == ("T4", episode.returned_at + HOUR)


@pytest.mark.django_db
def test_T4_a_regrade_to_high_after_the_return_moves_the_deadline_to_1_hour(officer, worker, team):
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(
        actor=officer, episode=episode, grade="medium", graded_at=NOW - 8 * HOUR
    )
    episode = found(officer, episode, hours_ago=2)
    key = f"safe_and_well:episode:{episode.pk}"
    assert DueItem.objects.get(key=key).rule == "T5"
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="high", graded_at=NOW - HOUR)
    due = DueItem.objects.get(key=key)
    assert (due.rule, due.due_at, due.status) == ("T4", episode.returned_at + HOUR, "open")


@pytest.mark.django_db
def test_T6_unsafe_to_return_home_needs_a_strategy_meeting_within_24_hours(officer, worker, team):
    child = make_child(worker, team)
    episode = found(officer, report(officer, child), unsafe_to_return_home=True)
    due = item("T6")
    assert due.due_at == episode.returned_at + 24 * HOUR
    assert due.assignee == worker
    meetings.strategy_meeting_record(
        actor=worker,
        child=child,
        episode=episode,
        reason="unsafe_return",
        held_at=NOW - HOUR,
        attendees="Social worker\nPolice",
        s47_enquiry=True,
    )
    assert item("T6").status == "done"


@pytest.mark.django_db
def test_T7_return_interview_offered_within_72_hours_and_moves_with_the_return_time(
    officer, worker, team, providers
):
    child = make_child(worker, team, age=14)
    episode = found(officer, report(officer, child, hours_ago=30), hours_ago=20)
    due = item("T7")
    assert due.due_at == episode.returned_at + 72 * HOUR
    assert due.status == "open"
    episode = episodes.episode_update(
        actor=officer,
        episode=episode,
        expected_version=episode.version,
        returned_at=NOW - 10 * HOUR,
    )
    assert item("T7").due_at == NOW - 10 * HOUR + 72 * HOUR
    interview = interviews.interview_refer(actor=worker, episode=episode)
    assert interview.provider == providers["13_and_over"]
    interviews.interview_record_offer(
        actor=worker, interview=interview, offered_at=NOW - HOUR, response="accepted"
    )
    assert item("T7").status == "done"


@pytest.mark.django_db
def test_T7_a_referral_is_made_when_the_provider_is_already_involved_twice(
    officer, worker, team, providers
):
    from mace.people.models import Involvement

    child = make_child(worker, team)
    provider = providers["13_and_over"]
    for _ in range(2):  # the same open involvement recorded twice
        Involvement.objects.create(
            child=child,
            kind=Involvement.Kind.RHI_PROVIDER,
            agency=provider,
            start_date=datetime.date(2026, 1, 5),
        )
    episode = found(officer, report(officer, child))
    interview = interviews.interview_refer(actor=worker, episode=episode)
    assert interview.provider == provider
    assert Involvement.objects.filter(child=child, agency=provider).count() == 2
    other = found(officer, report(officer, make_child(worker, team)))
    interviews.interview_refer(actor=worker, episode=other)
    assert (
        Involvement.objects.filter(child=other.child, agency=provider, end_date=None).count() == 1
    )


@pytest.mark.django_db
def test_T7_a_refusal_still_counts_as_offered_but_asks_about_safeguarding(
    officer, worker, team, providers
):
    episode = found(officer, report(officer, make_child(worker, team)))
    interview = interviews.interview_refer(actor=worker, episode=episode)
    with pytest.raises(ValidationError, match="safeguarding"):
        interviews.interview_record_offer(
            actor=worker, interview=interview, offered_at=NOW, response="declined"
        )
    interviews.interview_record_offer(
        actor=worker,
        interview=interview,
        offered_at=NOW,
        response="declined",
        refusal_safeguarding_considered="No new concern; TYS will keep in touch by text",
    )
    assert item("T7").status == "done"


@pytest.mark.django_db
def test_T8_looked_after_child_referred_within_24_hours(officer, worker, team, providers, home):
    child = make_child(worker, team, status="CLA")
    place(child, home, home)
    episode = found(officer, report(officer, child, missing_from="care"))
    due = item("T8")
    assert due.due_at == episode.returned_at + 24 * HOUR
    assert due.assignee == worker
    interview = interviews.interview_refer(actor=worker, episode=episode)
    assert interview.provider == providers["looked_after"]
    assert item("T8").status == "done"


@pytest.mark.django_db
def test_T9_home_office_informed_when_a_uasc_goes_missing(officer, worker, team, coordinator):
    child = make_child(worker, team, status="CLA", is_uasc=True)
    episode = report(officer, child, missing_from="care")
    due = item("T9")
    assert due.due_at == episode.reported_at
    assert due.role == Role.MISSING_COORDINATOR
    episodes.episode_record_notification(
        actor=coordinator,
        episode=episode,
        recipient=EpisodeNotification.Recipient.HOME_OFFICE,
        notified_at=NOW,
        method="Email to the Home Office's missing persons unit",
    )
    assert item("T9").status == "done"


@pytest.mark.django_db
def test_T9_does_not_apply_to_other_children(officer, worker, team):
    report(officer, make_child(worker, team, status="CLA"), missing_from="care")
    assert not DueItem.objects.filter(rule="T9").exists()


@pytest.mark.django_db
def test_T10_placing_authority_told_when_missing_and_when_found(
    officer, worker, team, coordinator, home, elsewhere
):
    child = make_child(worker, team, status="CLA")
    place(child, elsewhere, home)
    episode = report(officer, child, missing_from="care")
    missing = item("T10", key__startswith="T10:missing")
    assert "Lambeth" in missing.title
    assert missing.due_at == episode.reported_at
    episode = found(officer, episode)
    found_item = item("T10", key__startswith="T10:found")
    assert found_item.due_at == episode.returned_at
    for stage in ("missing", "found"):
        episodes.episode_record_notification(
            actor=coordinator,
            episode=episode,
            recipient=EpisodeNotification.Recipient.PLACING_AUTHORITY,
            stage=stage,
            notified_at=NOW,
        )
    assert set(DueItem.objects.filter(rule="T10").values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_T10_does_not_apply_to_our_own_children(officer, worker, team, home):
    child = make_child(worker, team, status="CLA")
    place(child, home, home)
    report(officer, child, missing_from="care")
    assert not DueItem.objects.filter(rule="T10").exists()


@pytest.mark.django_db
def test_T11_director_letter_after_the_third_episode_by_the_next_weekly_meeting(
    officer, worker, team, coordinator, home, elsewhere
):
    child = make_child(worker, team, status="CLA")
    place(child, elsewhere, home)
    for hours_ago in (200, 100):
        found(
            officer,
            report(officer, child, hours_ago=hours_ago, missing_from="care"),
            hours_ago=hours_ago - 5,
        )
    assert not DueItem.objects.filter(rule="T11").exists()
    third = report(officer, child, hours_ago=20, missing_from="care")
    due = item("T11")
    local = timezone.localtime(due.due_at)
    assert (local.weekday(), local.hour, local.minute) == (1, 14, 0)
    assert due.due_at > third.reported_at
    assert due.due_at - third.reported_at <= datetime.timedelta(days=7)
    DirectorLetter.objects.create(child=child, placing_authority=elsewhere, episode_count=3)
    sync_child(child)
    assert item("T11").status == "done"


@pytest.mark.django_db
def test_T11_threshold_is_a_setting(officer, worker, team, home, elsewhere, settings):
    settings.DIRECTOR_LETTER_EPISODES = 2
    child = make_child(worker, team, status="CLA")
    place(child, elsewhere, home)
    found(officer, report(officer, child, hours_ago=100, missing_from="care"), hours_ago=90)
    assert not DueItem.objects.filter(rule="T11").exists()
    report(officer, child, hours_ago=20, missing_from="care")
    assert item("T11").status == "open"


@pytest.mark.django_db
def test_T12_health_assessment_offered_with_the_interview(officer, worker, team, home, elsewhere):
    child = make_child(worker, team, status="CLA")
    place(child, elsewhere, home)
    episode = found(officer, report(officer, child, missing_from="care"))
    due = item("T12")
    assert due.due_at == episode.returned_at + 72 * HOUR
    assert due.status == "open"


@pytest.mark.django_db
def test_T12_closes_when_the_interview_records_the_offer(
    officer, worker, team, home, providers, users
):
    child = make_child(worker, team, status="CLA")
    lambeth = LocalAuthority.objects.create(name="Test Placing Borough", ons_code="E09000777")
    place(child, lambeth, home)
    episode = found(officer, report(officer, child, missing_from="care"))
    manager = users[Role.MANAGER]
    interview = interviews.interview_refer(
        actor=manager,
        episode=episode,
        provider=providers["looked_after"],
        nominated_reason="Placing authority asked us to offer it locally",
    )
    interviews.interview_record(
        actor=manager,
        interview=interview,
        expected_version=interview.version,
        completed_at=NOW,
        childs_account="Went to a friend's flat",
        health_assessment_offered=True,
    )
    assert item("T12").status == "done"


@pytest.mark.django_db
def test_T16_discussed_in_supervision_every_4_weeks(officer, worker, team, users):
    child = make_child(worker, team)
    episode = report(officer, child, hours_ago=24 * 40)
    first = item("T16", status="open")
    start = timezone.localdate(episode.reported_at)
    assert timezone.localdate(first.due_at) == start + datetime.timedelta(days=28)
    assert first.assignee == worker
    meetings.supervision_record(
        actor=users[Role.MANAGER],
        child=child,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    statuses = list(
        DueItem.objects.filter(rule="T16").order_by("due_at").values_list("status", flat=True)
    )
    assert statuses == ["done", "open"]
    nxt = DueItem.objects.get(rule="T16", status="open")
    assert timezone.localdate(nxt.due_at) == timezone.localdate() - datetime.timedelta(
        days=2
    ) + datetime.timedelta(days=28)


@pytest.mark.django_db
def test_T16_a_missed_discussion_stays_due_but_no_new_cycle_starts_once_inactive(
    officer, worker, team, users, settings
):
    settings.SUPERVISION_ACTIVE_DAYS = 10
    child = make_child(worker, team)
    episode = report(officer, child, hours_ago=24 * 60)
    missed = item("T16")
    assert missed.status == "open"
    assert missed.due_at < NOW
    assert timezone.localdate(missed.due_at) == timezone.localdate(
        episode.reported_at
    ) + datetime.timedelta(days=28)
    meetings.supervision_record(
        actor=users[Role.MANAGER], child=child, held_on=timezone.localdate()
    )
    assert list(DueItem.objects.filter(rule="T16").values_list("status", flat=True)) == ["done"]


def t16_cycles(child):
    return {
        item.key.rsplit(":", 1)[1]: item.status
        for item in DueItem.objects.filter(rule="T16", child=child)
    }


def days_ago_date(days):
    """The day a child's episode `report(hours_ago=24 * days)` was reported: a T16 cycle's
    first day (an hour after the child was last seen, so between 23:00 and 01:00 it may
    be the day after)."""
    reported_at = NOW - (days * 24 - 1) * HOUR
    return reported_at.astimezone(timezone.get_current_timezone()).date()


@pytest.mark.django_db
def test_T16_a_cycle_overtaken_by_an_earlier_episode_recorded_later_is_not_needed(
    officer, worker, team
):
    child = make_child(worker, team)
    found(officer, report(officer, child, hours_ago=24 * 10), hours_ago=24 * 9)
    assert t16_cycles(child) == {days_ago_date(10).isoformat(): "open"}
    # An episode of 40 days ago, recorded now: the cycle starts at it.
    found(officer, report(officer, child, hours_ago=24 * 40), hours_ago=24 * 39)
    assert t16_cycles(child) == {
        days_ago_date(40).isoformat(): "open",
        days_ago_date(10).isoformat(): "not_needed",
    }


@pytest.mark.django_db
def test_T16_one_sync_after_many_records_leaves_what_a_sync_after_each_leaves(
    officer, worker, team
):
    """The tracker import brings a child in step once a chunk: the overtaken cycle comes
    from the order the episodes were recorded in, not from the syncs between."""
    child = make_child(worker, team)
    for days in (10, 40, 70):  # each earlier than the one recorded before
        found(officer, report(officer, child, hours_ago=24 * days), hours_ago=24 * (days - 1))
    after_each = t16_cycles(child)
    assert sorted(after_each.values()) == ["not_needed", "not_needed", "open"]

    DueItem.objects.filter(child=child).delete()
    sync_child(child)

    assert t16_cycles(child) == after_each


@pytest.mark.django_db
def test_T16_episodes_recorded_in_order_overtake_nothing(officer, worker, team):
    child = make_child(worker, team)
    for days in (70, 40, 10):
        found(officer, report(officer, child, hours_ago=24 * days), hours_ago=24 * (days - 1))
    assert list(t16_cycles(child).values()) == ["open"]


@pytest.mark.django_db
def test_syncing_twice_changes_nothing(officer, worker, team, home, elsewhere):
    child = make_child(worker, team, status="CLA", is_uasc=True)
    place(child, elsewhere, home)
    found(officer, report(officer, child, missing_from="care"), unsafe_to_return_home=True)
    before = list(DueItem.objects.order_by("key").values())
    result = sync_child(child)
    assert result.changed == 0
    assert list(DueItem.objects.order_by("key").values()) == before


@pytest.mark.django_db
def test_T7_an_interview_with_the_provider_not_known_is_the_childs_workers_to_offer(
    officer, worker, team
):
    """Issue 18: the tracker import records an interview with no provider agency set up;
    no provider's worker can see the child, so the offer is the child's worker's."""
    child = make_child(worker, team)
    episode = found(officer, report(officer, child))
    # As the tracker import writes it (mace.imports.importer.record_interview).
    interview = interviews_domain.new_interview(
        episode=episode,
        provider=None,
        provider_rule=interviews_domain.provider_not_known_rule("13 and over: x"),
        referred_at=NOW - HOUR,
    )
    interview.save()
    sync_child(child)

    due = item("T7")
    assert (due.assignee, due.role, due.status) == (worker, "", "open")
    assert due.title == "Offer the return home interview"


@pytest.mark.django_db
def test_T7_and_T12_close_with_the_placing_authoritys_arrangements(
    officer, worker, team, coordinator, home, elsewhere
):
    child = make_child(worker, team, status="CLA")
    place(child, elsewhere, home)
    episode = found(officer, report(officer, child, missing_from="care"))
    assert "placing authority" in item("T7").title
    interview = interviews.interview_refer(actor=coordinator, episode=episode)
    assert interview.provider is None
    assert "Lambeth" in interview.provider_rule
    interviews.interview_record_offer(
        actor=coordinator,
        interview=interview,
        offered_at=NOW,
        response="accepted",
        method="Placing authority's advocate, confirmed by phone",
    )
    assert item("T7").status == "done"
    interviews.interview_record(
        actor=coordinator,
        interview=interview,
        expected_version=interview.version,
        health_assessment_offered=True,
    )
    assert item("T12").status == "done"
