"""T20, T21 and ACT of the timescale engine, by name, and T20 as an agenda item."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.exploitation.tests.helpers import assess
from mace.meetings import agenda, panels
from mace.meetings import services as meetings_services
from mace.meetings.models import MeetingAction
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def born_months_ago(months: int) -> datetime.date:
    year, month = divmod(TODAY.year * 12 + TODAY.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(TODAY.day, 28))


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


def test_T20_a_young_person_at_risk_is_listed_for_transition_at_17_and_a_half(users, worker, team):
    child = ChildFactory(allocated_worker=worker, team=team, date_of_birth=born_months_ago(211))
    assess(worker, child, yes=["SH3"])

    item = DueItem.objects.get(rule="T20")
    assert item.assignee == worker
    assert item.status == DueItem.Status.OPEN
    born = born_months_ago(211)
    year, month = divmod(born.year * 12 + born.month - 1 + 210, 12)
    assert timezone.localtime(item.due_at).date() == datetime.date(year, month + 1, born.day)
    series = weekly_series()
    assert child.pk in agenda.build(series, next_day(series))["transition"]

    panels.transition_referral_record(
        actor=worker, child=child, referred_on=TODAY, service="Adult social care"
    )

    assert DueItem.objects.get(rule="T20").status == DueItem.Status.DONE


@pytest.mark.parametrize(
    ("born", "due"),
    [
        (datetime.date(2009, 4, 22), datetime.date(2026, 10, 22)),
        (datetime.date(2009, 8, 31), datetime.date(2027, 2, 28)),  # no 31 February
        (datetime.date(2008, 8, 29), datetime.date(2026, 2, 28)),  # nor a 29th in 2026
        (datetime.date(2009, 6, 30), datetime.date(2026, 12, 30)),
    ],
)
def test_T20_seventeen_and_a_half_on_the_calendar(born, due):
    from mace.lib.days import add_months

    assert add_months(born, 210) == due


def test_T20_not_for_younger_children_or_those_not_at_risk(users, worker, team):
    younger = ChildFactory(allocated_worker=worker, team=team, date_of_birth=born_months_ago(190))
    not_at_risk = ChildFactory(
        allocated_worker=worker, team=team, date_of_birth=born_months_ago(211)
    )
    assess(worker, younger, yes=["SH3"])
    assess(worker, not_at_risk, no=["SH3"])

    assert not DueItem.objects.filter(rule="T20").exists()


def test_T21_minutes_agreed_and_circulated_within_two_weeks_of_the_meeting(users):
    chair = users[Role.PANEL_MEMBER]
    coordinator = users[Role.MISSING_COORDINATOR]
    series = weekly_series(chair=chair)
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    assert not DueItem.objects.filter(rule="T21").exists()  # not until the meeting is held

    panels.attendee_add(actor=coordinator, meeting=meeting, user=chair, agency=chair.agency)

    item = DueItem.objects.get(rule="T21")
    assert item.assignee == chair
    assert item.child is None
    assert item.meeting == meeting
    assert item.due_at == meeting.starts_at + datetime.timedelta(days=14)
    panels.minutes_save(actor=coordinator, meeting=meeting, minutes="Three children discussed.")
    panels.minutes_agree(actor=chair, meeting=meeting)
    assert DueItem.objects.get(rule="T21").status == DueItem.Status.OPEN  # agreed, not sent
    panels.minutes_circulate(actor=coordinator, meeting=meeting)
    assert DueItem.objects.get(rule="T21").status == DueItem.Status.DONE


def test_T21_without_a_chair_the_managers_queue_holds_it(users):
    coordinator = users[Role.MISSING_COORDINATOR]
    series = weekly_series()
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    panels.attendee_add(
        actor=coordinator, meeting=meeting, name="A Visitor", agency=coordinator.agency
    )

    item = DueItem.objects.get(rule="T21")
    assert (item.assignee, item.role) == (None, Role.MANAGER)


def test_ACT_a_panel_action_is_on_its_owners_worklist_until_done(users, worker, team):
    coordinator = users[Role.MISSING_COORDINATOR]
    child = ChildFactory(allocated_worker=worker, team=team)
    series = weekly_series()
    day = next_day(series)
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=day)
    item = meeting.items.create(section="missing", child=child, reasons=["Missing now"])

    panels.discussion_record(
        actor=coordinator,
        item=item,
        discussion="Seen with older males at the station",
        actions=[panels.ActionInput("Update the safety plan", worker, day + datetime.timedelta(7))],
    )

    due = DueItem.objects.get(rule="ACT")
    assert due.assignee == worker
    assert timezone.localtime(due.due_at).date() == day + datetime.timedelta(7)
    panels.panel_action_complete(actor=worker, action=child.panel_actions.get(), note="Done")
    assert DueItem.objects.get(rule="ACT").status == DueItem.Status.DONE


def test_ACT_a_strategy_meeting_action_lands_on_the_owners_worklist(users, worker, team):
    child = ChildFactory(allocated_worker=worker, team=team)
    meetings_services.strategy_meeting_record(
        actor=worker,
        child=child,
        reason="significant_harm",
        held_at=timezone.now(),
        attendees="R Worker, CSC",
        s47_enquiry=True,
        actions=[
            meetings_services.ActionInput(
                "disrupt",
                "Serve a warning notice",
                TODAY + datetime.timedelta(3),
                owner=users[Role.POLICE_OFFICER],
            ),
            meetings_services.ActionInput(
                "support",
                "Youth club mentor",
                TODAY + datetime.timedelta(5),
                owner_name="A Mentor, youth club",
            ),
        ],
    )

    officer = users[Role.POLICE_OFFICER]
    owners = set(DueItem.objects.filter(rule="ACT").values_list("assignee", flat=True))
    assert owners == {officer.pk, worker.pk}  # the outsider's action goes to the worker
    action = MeetingAction.objects.get(description="Serve a warning notice")
    panels.meeting_action_complete(actor=officer, action=action)
    assert DueItem.objects.get(rule="ACT", assignee=officer).status == DueItem.Status.DONE


def test_T21_overdue_minutes_are_escalated_by_the_scheduled_checks(users):
    from mace.worklist.scheduled import run_scheduled_checks

    chair = users[Role.PANEL_MEMBER]
    coordinator = users[Role.MISSING_COORDINATOR]
    series = weekly_series(chair=chair)
    long_ago = datetime.date(2026, 1, 13)  # a Tuesday, months back
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=long_ago)
    panels.attendee_add(actor=coordinator, meeting=meeting, user=chair, agency=chair.agency)

    result = run_scheduled_checks()

    assert result.overdue >= 1
    told = chair.notifications.get(kind="overdue")
    assert told.title.startswith(f"Overdue for {meeting}")
    assert told.url == f"/meetings/{meeting.public_id}/"
    assert run_scheduled_checks().overdue == 0  # told once
