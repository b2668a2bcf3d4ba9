"""Merging two records of one child who were both on a panel's agenda, under the same section:
one agenda entry remains, with what was said of each, every agency's view and every action
agreed (an action deleted with its entry would leave the child's worklist silently)."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.accounts.tests.factories import AgencyFactory
from mace.meetings.models import AgencyRiskView, AgendaItem, PanelAction, PanelMeeting
from mace.meetings.tests.helpers import weekly_series
from mace.people import services
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db


def on_the_agenda(meeting, child, *, discussion, decisions="", reasons=()):
    return AgendaItem.objects.create(
        meeting=meeting,
        section="missing",
        child=child,
        reasons=list(reasons),
        discussion=discussion,
        decisions=decisions,
        discussed_at=timezone.now() if discussion else None,
    )


def test_merging_two_records_on_one_agenda_section_keeps_one_entry_with_everything(users, team):
    manager = users[Role.MANAGER]
    coordinator = users[Role.MISSING_COORDINATOR]
    keep = ChildFactory(team=team)
    duplicate = ChildFactory(team=team)
    series = weekly_series()
    day = datetime.date(2025, 6, 3)
    meeting = PanelMeeting.objects.create(
        series=series,
        date=day,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14))),
        held=True,
    )
    kept_item = on_the_agenda(
        meeting, keep, discussion="Went missing twice.", reasons=["3 episodes in 90 days"]
    )
    duplicate_item = on_the_agenda(
        meeting,
        duplicate,
        discussion="Seen with older males.",
        decisions="Refer to the exploitation panel.",
        reasons=["High risk episode"],
    )
    police, school, health = AgencyFactory(), AgencyFactory(), AgencyFactory()
    for item, agency, level in (
        (kept_item, police, "medium"),
        (duplicate_item, police, "high"),
        (duplicate_item, school, "medium"),
        (kept_item, health, "low"),
    ):
        AgencyRiskView.objects.create(
            item=item, agency=agency, level=level, note=f"{level} view", recorded_by=coordinator
        )
    action = PanelAction.objects.create(
        meeting=meeting,
        item=duplicate_item,
        child=duplicate,
        description="Strategy discussion with the police",
        owner=coordinator,
        due_date=day + datetime.timedelta(days=7),
        created_by=coordinator,
    )

    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)

    items = list(AgendaItem.objects.filter(meeting=meeting))
    assert items == [kept_item]
    kept_item.refresh_from_db()
    assert "Went missing twice." in kept_item.discussion
    assert "Seen with older males." in kept_item.discussion
    assert duplicate.reference in kept_item.discussion
    assert "Refer to the exploitation panel." in kept_item.decisions
    assert kept_item.reasons == ["3 episodes in 90 days", "High risk episode"]
    # Each agency's view: the kept record's where both had one, the other's where only it had.
    views = {view.agency_id: view.level for view in AgencyRiskView.objects.filter(item=kept_item)}
    assert views == {police.pk: "medium", school.pk: "medium", health.pk: "low"}
    # The police's other view, given for the merged record, is kept in words.
    assert f"{police.name}'s view of the risk: High (high view)" in kept_item.discussion
    action.refresh_from_db()
    assert (action.item_id, action.child_id) == (kept_item.pk, keep.pk)
    assert DueItem.objects.filter(
        child=keep, rule="ACT", status=DueItem.Status.OPEN, title__contains="Strategy discussion"
    ).exists()
