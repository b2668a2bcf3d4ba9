"""Issue 19 point 9: panels as a coordinator runs them. The next meeting is marked; a date
gone by without being opened is not offered for building; the agencies present are filled
in for their views; the agenda is grouped by priority and planned against the length of
the meeting."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Agency
from mace.accounts.tests.factories import UserFactory
from mace.meetings import cadence, panels, selectors
from mace.meetings.models import PanelMeeting
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return weekly_series()


def last_day(series):
    """The series' meeting before today."""
    today = timezone.localdate()
    days = cadence.meeting_dates(series, today - datetime.timedelta(weeks=2), today)
    return [day for day in days if day < today][-1]


def test_the_panels_page_marks_the_next_meeting(users, client_for, series):
    coordinator = users["missing_coordinator"]
    page = client_for(coordinator).get("/meetings/").content.decode()
    rows = selectors.schedule(series, timezone.localdate())

    marked = [row.day for row in rows if row.is_next]
    assert marked == [min(row.day for row in rows if row.day >= timezone.localdate())]
    table = page.split(f'data-testid="schedule-{series.public_id}"')[1].split("</table>")[0]
    assert table.count('data-testid="next-meeting"') + table.count(">Today<") == 1
    assert table.count('aria-current="date"') == 1


def test_a_past_date_never_opened_is_not_offered_for_building(users, client_for, series):
    coordinator = users["missing_coordinator"]
    past = last_day(series)
    page = client_for(coordinator).get("/meetings/").content.decode()

    assert f'value="{past.isoformat()}"' not in page
    assert f'value="{next_day(series).isoformat()}"' in page
    assert "Passed, not opened in MACE" in page


def test_building_a_past_date_is_refused_and_says_what_to_do(users, client_for, series):
    client = client_for(users["missing_coordinator"])
    past = last_day(series)

    response = client.post(
        f"/meetings/series/{series.public_id}/open/", {"day": past.isoformat()}, follow=True
    )

    assert not PanelMeeting.objects.filter(series=series, date=past).exists()
    assert "its agenda can no longer be built" in response.content.decode()


def test_a_past_meeting_that_was_opened_still_opens(users, client_for, series):
    coordinator = users["missing_coordinator"]
    past = last_day(series)
    held = panels.panel_meeting_open(actor=coordinator, series=series, day=past)

    response = client_for(coordinator).post(
        f"/meetings/series/{series.public_id}/open/", {"day": past.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{held.public_id}/"


def test_the_agencies_present_are_filled_in_for_their_views(users, client_for, series, agency):
    coordinator = users["missing_coordinator"]
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    police = Agency.objects.create(name="Northshire Police", kind="police")
    school = Agency.objects.create(name="Ashfield Academy", kind="education")
    panels.attendee_add(
        actor=coordinator,
        meeting=meeting,
        user=None,
        name="A Officer",
        agency=police,
        status="present",
    )
    panels.attendee_add(
        actor=coordinator,
        meeting=meeting,
        user=None,
        name="A Teacher",
        agency=school,
        status="apologies",
    )
    item = meeting.items.create(section="missing", child=ChildFactory(), reasons=["Missing now"])

    form = client_for(coordinator).get(f"/meetings/{meeting.public_id}/items/{item.pk}/")

    initial = form.context["form"].initial
    assert initial.get("view_1_agency") == police
    assert "view_2_agency" not in initial  # sent apologies: not at the table
    assert "Northshire Police" in form.content.decode()


def test_the_agenda_puts_urgent_children_first_and_notes_repeats(users, series):
    coordinator = users["missing_coordinator"]
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    calm = ChildFactory(first_name="Aaron", last_name="Abbott")
    urgent = ChildFactory(first_name="Zoe", last_name="Zephyr")
    meeting.items.create(section="missing", child=calm, reasons=["Return interview overdue"])
    meeting.items.create(section="missing", child=urgent, reasons=["Missing now"])
    meeting.items.create(
        section="cse", child=urgent, reasons=["Sexual exploitation: high, assessed 1 Dec 2026"]
    )

    sections = {s.code: s for s in selectors.agenda(actor=coordinator, meeting=meeting)}

    missing = sections["missing"].rows
    assert [row.child for row in missing] == [urgent, calm]
    assert [row.priority for row in missing] == ["first", "discuss"]
    (noted,) = sections["cse"].rows
    assert (noted.priority, noted.also_under) == ("noting", ["Missing children"])
    assert sections["missing"].minutes == 5 + 3
    assert sections["cse"].minutes == 1


def test_the_time_plan_warns_when_the_agenda_outruns_the_meeting(users, client_for, series):
    coordinator = users["missing_coordinator"]
    series.length_minutes = 60
    series.save()
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    for _ in range(13):  # 13 x 5 minutes = 65 minutes, over the hour
        meeting.items.create(section="missing", child=ChildFactory(), reasons=["Missing now"])

    page = client_for(coordinator).get(f"/meetings/{meeting.public_id}/").content.decode()
    plan = selectors.agenda_plan(
        meeting=meeting, sections=selectors.agenda(actor=coordinator, meeting=meeting)
    )

    assert (plan.minutes, plan.length, plan.over) == (65, 60, 5)
    assert 'data-testid="time-plan-over"' in page
    assert "about 5 minutes more than the meeting has" in page


def test_a_short_agenda_raises_no_warning(users, client_for, series):
    coordinator = users["missing_coordinator"]
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    meeting.items.create(section="missing", child=ChildFactory(), reasons=["Missing now"])

    page = client_for(coordinator).get(f"/meetings/{meeting.public_id}/").content.decode()

    assert "About 5 minutes of business for a meeting of 120 minutes" in page
    assert 'data-testid="time-plan-over"' not in page


def test_the_length_of_the_meeting_must_be_sensible(users, client_for, series):
    keeper = UserFactory(role="manager")
    data = {
        "name": series.name,
        "frequency": "weekly",
        "interval": "1",
        "weekday": "1",
        "week_of_month": "1",
        "time": "14:00",
        "length_minutes": "5",
        "first_date_0": "7",
        "first_date_1": "1",
        "first_date_2": "2025",
        "section_missing": "every",
    }
    response = client_for(keeper).post(f"/meetings/series/{series.public_id}/settings/", data)

    series.refresh_from_db()
    assert response.status_code == 200
    assert "A meeting lasts at least 15 minutes" in response.content.decode()
    assert series.length_minutes == 120
