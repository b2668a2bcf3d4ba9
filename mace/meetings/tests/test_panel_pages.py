"""The panel pages: who may do what, role by role both ways; panel members and the
children on their agendas; the MASE profile's restriction; bad input; the pack."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.intelligence.tests.factories import LocationFactory, PersonOfConcernFactory
from mace.meetings import panels
from mace.meetings.models import AgencyRiskView, PanelAction, PanelMeeting, PanelSeries
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

RUNNERS = ["missing_coordinator", "manager"]
SEE_ALL_PANELS = ["missing_coordinator", "manager", "police_officer"]
OTHERS_WITH_RECORDS = ["social_worker", "rhi_worker", "inclusion_officer", "panel_member"]
NO_CHILD_RECORDS = ["analyst", "auditor", "administrator"]


def test_every_role_is_covered():
    assert set(SEE_ALL_PANELS + OTHERS_WITH_RECORDS + NO_CHILD_RECORDS) == {r.value for r in Role}


@pytest.fixture
def series(users, agency):
    from mace.accounts.tests.factories import UserFactory

    chair = UserFactory(
        role=Role.PANEL_MEMBER, agency=agency, first_name="Chair", last_name="Person"
    )
    return weekly_series(chair=chair)


@pytest.fixture
def child(users, team):
    return ChildFactory(
        first_name="Wilhelmina",
        last_name="Ashbourne",
        allocated_worker=users["social_worker"],
        team=team,
    )


@pytest.fixture
def meeting(users, series, child):
    meeting = panels.panel_meeting_open(
        actor=users["missing_coordinator"], series=series, day=next_day(series)
    )
    meeting.items.create(section="missing", child=child, reasons=["Missing now"])
    return meeting


def discussion_form(users, agency, **extra):
    due = datetime.date.today() + datetime.timedelta(days=30)
    data = {
        "discussion": "Seen at the bus station late at night",
        "decisions": "Police to patrol",
        "view_1_agency": str(agency.pk),
        "view_1_level": "high",
        "view_1_note": "",
        "action_1_description": "Update the safety plan",
        "action_1_owner": str(users["social_worker"].pk),
        "action_1_due_date_0": str(due.day),
        "action_1_due_date_1": str(due.month),
        "action_1_due_date_2": str(due.year),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role_user", SEE_ALL_PANELS, indirect=True)
def test_partnership_wide_roles_open_every_panel(role_user, client_for, meeting):
    page = client_for(role_user).get(f"/meetings/{meeting.public_id}/").content.decode()
    assert "Wilhelmina Ashbourne" in page


@pytest.mark.parametrize("role_user", OTHERS_WITH_RECORDS, indirect=True)
def test_others_open_a_panel_only_as_members(role_user, client_for, meeting, series):
    url = f"/meetings/{meeting.public_id}/"
    assert client_for(role_user).get(url).status_code == 403

    series.members.add(role_user)

    page = client_for(role_user).get(url).content.decode()
    assert "Wilhelmina Ashbourne" in page


@pytest.mark.parametrize("role_user", NO_CHILD_RECORDS, indirect=True)
def test_roles_without_child_records_do_not_open_meetings(role_user, client_for, meeting, series):
    series.members.add(role_user)
    assert client_for(role_user).get(f"/meetings/{meeting.public_id}/").status_code == 403


def test_a_panel_member_may_open_the_records_of_children_on_their_agenda(
    users, client_for, meeting, series, child
):
    member = users["panel_member"]
    assert client_for(member).get(f"/children/{child.public_id}/").status_code in (403, 404)

    series.members.add(member)

    assert client_for(member).get(f"/children/{child.public_id}/").status_code == 200


def test_an_old_agenda_no_longer_opens_the_record(users, client_for, meeting, series, child):
    member = users["panel_member"]
    series.members.add(member)
    PanelMeeting.objects.filter(pk=meeting.pk).update(
        date=datetime.date.today() - datetime.timedelta(days=120)
    )
    assert client_for(member).get(f"/children/{child.public_id}/").status_code in (403, 404)


@pytest.mark.parametrize("role_user", RUNNERS, indirect=True)
def test_runners_build_agendas_and_record_discussions(role_user, client_for, series, agency, users):
    client = client_for(role_user)
    day = next_day(series)

    opened = client.post(f"/meetings/series/{series.public_id}/open/", {"day": day.isoformat()})
    meeting = PanelMeeting.objects.get(series=series, date=day)
    child = ChildFactory(allocated_worker=users["social_worker"])
    item = meeting.items.create(section="missing", child=child, reasons=["Missing now"])
    saved = client.post(
        f"/meetings/{meeting.public_id}/items/{item.pk}/", discussion_form(users, agency)
    )

    assert opened.status_code == 302
    assert saved.status_code == 302
    assert AgencyRiskView.objects.get(item=item).level == "high"
    assert PanelAction.objects.get(child=child).owner == users["social_worker"]


@pytest.mark.parametrize(
    "role_user", ["police_officer", *OTHERS_WITH_RECORDS, *NO_CHILD_RECORDS], indirect=True
)
def test_others_cannot_build_or_record(role_user, client_for, series, meeting, agency, users):
    series.members.add(role_user)
    client = client_for(role_user)
    item = meeting.items.get()

    opened = client.post(
        f"/meetings/series/{series.public_id}/open/",
        {"day": (next_day(series) + datetime.timedelta(days=7)).isoformat()},
    )
    saved = client.post(
        f"/meetings/{meeting.public_id}/items/{item.pk}/", discussion_form(users, agency)
    )

    assert opened.status_code == 403
    assert saved.status_code == 403
    assert PanelMeeting.objects.count() == 1
    assert not AgencyRiskView.objects.exists()


def test_a_view_without_its_level_and_an_action_without_an_owner_say_what_to_fix(
    users, client_for, meeting, agency
):
    item = meeting.items.get()
    data = discussion_form(users, agency, view_1_level="", action_1_owner="")

    page = (
        client_for(users["missing_coordinator"])
        .post(f"/meetings/{meeting.public_id}/items/{item.pk}/", data)
        .content.decode()
    )

    assert "Choose agency 1&#x27;s view of the risk" in page
    assert "Say who for action 1" in page
    assert "Seen at the bus station late at night" in page
    assert not PanelAction.objects.exists()


def test_only_the_chair_agrees_the_minutes_and_a_runner_circulates_them(
    users, client_for, meeting, series
):
    coordinator, chair = users["missing_coordinator"], series.chair
    panels.attendee_add(actor=coordinator, meeting=meeting, user=chair, agency=chair.agency)
    url = f"/meetings/{meeting.public_id}/minutes/"
    client_for(coordinator).post(url, {"step": "save", "minutes": "One child discussed."})

    refused = client_for(coordinator).post(url, {"step": "agree"})
    meeting.refresh_from_db()
    assert refused.status_code == 403
    assert meeting.minutes_agreed_at is None

    other_member = users["panel_member"]
    meeting.series.members.add(other_member)
    assert client_for(other_member).post(url, {"step": "agree"}).status_code == 403
    agreed = client_for(chair).post(url, {"step": "agree"}, follow=True)
    assert "Minutes agreed" in agreed.content.decode()
    client_for(coordinator).post(url, {"step": "circulate"})
    meeting.refresh_from_db()
    assert meeting.minutes_agreed_by == chair
    assert meeting.minutes_circulated_at is not None
    assert chair.notifications.filter(kind="minutes").exists()


def test_minutes_cannot_be_circulated_before_they_are_agreed(users, client_for, meeting):
    coordinator = users["missing_coordinator"]
    panels.minutes_save(actor=coordinator, meeting=meeting, minutes="Draft")

    response = client_for(coordinator).post(
        f"/meetings/{meeting.public_id}/minutes/", {"step": "circulate"}, follow=True
    )

    meeting.refresh_from_db()
    assert (
        "The chair must agree the minutes before they are circulated" in response.content.decode()
    )
    assert meeting.minutes_circulated_at is None


def test_agreed_minutes_fix_the_record_of_the_meeting(users, meeting, series):
    coordinator, chair = users["missing_coordinator"], series.chair
    panels.attendee_add(actor=coordinator, meeting=meeting, user=chair, agency=chair.agency)
    panels.minutes_save(actor=coordinator, meeting=meeting, minutes="Agreed text")
    panels.minutes_agree(actor=chair, meeting=meeting)

    with pytest.raises(Exception, match="minutes of this meeting are agreed"):
        panels.discussion_record(actor=coordinator, item=meeting.items.get(), discussion="Late")


def test_the_meeting_pack_is_a_pdf(users, client_for, meeting):
    response = client_for(users["manager"]).get(f"/meetings/{meeting.public_id}/pack.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Ashbourne" not in response["Content-Disposition"]


@pytest.mark.parametrize("role_user", ["administrator", "manager"], indirect=True)
def test_keepers_change_the_cadence(role_user, client_for, series):
    data = {
        "name": "Monthly MACE",
        "frequency": "monthly",
        "interval": "1",
        "weekday": "3",
        "week_of_month": "1",
        "time": "10:00",
        "length_minutes": "90",
        "first_date_0": "1",
        "first_date_1": "1",
        "first_date_2": "2026",
        "venue": "Town hall",
        "section_missing": "every",
        "section_cse": "2, 4",
    }

    response = client_for(role_user).post(f"/meetings/series/{series.public_id}/settings/", data)

    series.refresh_from_db()
    assert response.status_code == 302
    assert (series.frequency, series.weekday, series.week_of_month) == ("monthly", 3, 1)
    assert series.length_minutes == 90
    assert series.sections == {"missing": [], "cse": [2, 4]}


def test_badly_written_weeks_say_what_to_write(users, client_for, series):
    page = (
        client_for(users["manager"])
        .post(
            f"/meetings/series/{series.public_id}/settings/",
            {
                "name": "X",
                "frequency": "weekly",
                "interval": "1",
                "weekday": "1",
                "week_of_month": "1",
                "time": "14:00",
                "length_minutes": "120",
                "first_date_0": "1",
                "first_date_1": "1",
                "first_date_2": "2026",
                "section_cse": "second and fourth",
            },
        )
        .content.decode()
    )

    series.refresh_from_db()
    assert "Write “every”, or week numbers from 1 to 5 separated by commas" in page
    assert series.name == "Test monitoring meeting"


@pytest.mark.parametrize(
    "role_user",
    [*SEE_ALL_PANELS[:1], "police_officer", *OTHERS_WITH_RECORDS, "analyst", "auditor"],
    indirect=True,
)
def test_others_cannot_change_the_cadence(role_user, client_for, series):
    response = client_for(role_user).get(f"/meetings/series/{series.public_id}/settings/")
    assert response.status_code == 403


@pytest.fixture
def mase_meeting(users):
    mase = PanelSeries.objects.get(kind="mase")
    PersonOfConcernFactory(first_name="Horatio", last_name="Pembleton", gender="male")
    LocationFactory(name="Riverside arcade", is_hotspot=True)
    return panels.panel_meeting_open(
        actor=users["missing_coordinator"], series=mase, day=datetime.date(2026, 10, 8)
    )


@pytest.mark.parametrize(
    "role_user", ["police_officer", "missing_coordinator", "manager"], indirect=True
)
def test_the_mase_profile_shows_cleared_members_the_persons_and_hotspots(
    role_user, client_for, mase_meeting
):
    page = client_for(role_user).get(f"/meetings/{mase_meeting.public_id}/").content.decode()

    assert "Riverside arcade" in page
    assert RESTRICTED_MARKER not in page


@pytest.mark.parametrize(
    "role_user", ["social_worker", "panel_member", "inclusion_officer"], indirect=True
)
def test_the_mase_profile_shows_uncleared_members_only_the_restriction(
    role_user, client_for, mase_meeting
):
    mase_meeting.series.members.add(role_user)

    page = client_for(role_user).get(f"/meetings/{mase_meeting.public_id}/").content.decode()

    assert RESTRICTED_MARKER in page
    assert "Riverside arcade" not in page
    assert "Persons of concern by gender" not in page


def test_the_chair_is_told_why_the_minutes_cannot_be_agreed_before_any_button(
    users, client_for, meeting, series
):
    coordinator, chair = users["missing_coordinator"], series.chair
    url = f"/meetings/{meeting.public_id}/minutes/"

    def agree_part() -> str:
        page = client_for(chair).get(url).content.decode()
        return page[page.index("Agree the minutes</h2>") :]

    not_held = agree_part()
    assert "Record who attended or a discussion before agreeing the minutes" in not_held
    assert 'value="agree"' not in not_held

    panels.minutes_save(actor=coordinator, meeting=meeting, minutes="Draft")
    assert "Record who attended" in agree_part()  # written, but nobody recorded as there
    assert 'value="agree"' not in agree_part()

    panels.attendee_add(actor=coordinator, meeting=meeting, user=chair, agency=chair.agency)
    ready = agree_part()
    assert "cannot be agreed yet" not in ready
    assert 'value="agree"' in ready


def test_a_runner_who_may_not_agree_is_offered_no_agree_button(users, client_for, meeting):
    coordinator = users["missing_coordinator"]
    panels.minutes_save(actor=coordinator, meeting=meeting, minutes="Draft")

    page = client_for(coordinator).get(f"/meetings/{meeting.public_id}/minutes/").content.decode()

    assert 'value="agree"' not in page
    assert "Agree the minutes</h2>" not in page
