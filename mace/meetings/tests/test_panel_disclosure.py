"""What a panel's pages and pack show of each child on the agenda (issue 16), role by role
both ways:

- a restricted child appears as reference and "Restricted" (linking to the record, which
  asks for a reason) until the user has opened the record with a reason or is exempt
  (allocated worker, their team's manager); the chair gives a reason like anyone else;
- panel membership opens the full record only for panel members (SPEC section 1); other
  members see the agenda's summary and reach a record only through their own relationship
  to the child, and are not linked to records they cannot open.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import TeamFactory, UserFactory
from mace.audit.models import AuditEvent
from mace.documents.tests.pdf import pdf_text
from mace.meetings import panels
from mace.meetings.models import AgencyRiskView, PanelAction
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.models import Involvement
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

NO_CHILD_RECORDS = {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}
# Those who may open an agenda child's record (with a reason if it is restricted): the
# partnership-wide roles, and panel members through the agenda.
OPEN_AGENDA_RECORDS = {
    Role.MISSING_COORDINATOR,
    Role.POLICE_OFFICER,
    Role.MANAGER,
    Role.PANEL_MEMBER,
}
# Members whose own relationships to children decide which records they open.
SUMMARY_ONLY = {Role.SOCIAL_WORKER, Role.RHI_WORKER, Role.INCLUSION_OFFICER}
RUNNERS = {Role.MISSING_COORDINATOR, Role.MANAGER}
REASON = "Preparing for the child's discussion at the panel"

# What a restricted child's agenda row must not show until the record is opened.
NAME, DOB, WORKER = "Hollingworth", "3 Feb 2011", "Quarrie"
LEVEL = "significant harm"
ACTION = "Disrupt the address on Quarry Lane"
DECISION = "Police to patrol the station"


def test_every_role_is_covered():
    assert set(Role) == NO_CHILD_RECORDS | OPEN_AGENDA_RECORDS | SUMMARY_ONLY


@pytest.fixture
def series(agency):
    chair = UserFactory(
        role=Role.PANEL_MEMBER, agency=agency, first_name="Chair", last_name="Person"
    )
    series = weekly_series(chair=chair)
    series.members.add(chair)
    return series


@pytest.fixture
def meeting(users, series):
    return panels.panel_meeting_open(
        actor=users["missing_coordinator"], series=series, day=next_day(series)
    )


@pytest.fixture
def elsewhere(agency):
    """A worker in another team: neither they nor their team is anyone's in `users`."""
    return UserFactory(
        role=Role.SOCIAL_WORKER,
        agency=agency,
        team=TeamFactory(agency=agency),
        first_name="Ottoline",
        last_name=WORKER,
    )


def on_agenda(meeting, users, child, *, reasons):
    item = meeting.items.create(
        section="cse",
        child=child,
        reasons=reasons,
        discussion="Seen at the bus station late at night",
        decisions=DECISION,
        discussed_at=meeting.starts_at,
    )
    AgencyRiskView.objects.create(
        item=item, agency=users["police_officer"].agency, level="high", recorded_by=users["manager"]
    )
    PanelAction.objects.create(
        meeting=meeting,
        item=item,
        child=child,
        description=ACTION,
        owner=users["missing_coordinator"],
        due_date=meeting.date + datetime.timedelta(days=14),
        created_by=users["missing_coordinator"],
    )
    return item


@pytest.fixture
def restricted(meeting, users, elsewhere):
    child = ChildFactory(
        first_name="Perpetua",
        last_name=NAME,
        date_of_birth=datetime.date(2011, 2, 3),
        is_restricted=True,
        allocated_worker=elsewhere,
        team=elsewhere.team,
    )
    on_agenda(meeting, users, child, reasons=[f"Sexual exploitation: {LEVEL}, assessed 3 Mar"])
    return child


@pytest.fixture
def open_child(meeting, users, elsewhere):
    """A child who is not restricted, known to no one in `users`."""
    child = ChildFactory(first_name="Wilhelmina", last_name="Ashbourne", allocated_worker=elsewhere)
    on_agenda(meeting, users, child, reasons=["Missing now"])
    return child


def meeting_page(client, meeting):
    response = client.get(f"/meetings/{meeting.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def pack_text(client, meeting):
    response = client.get(f"/meetings/{meeting.public_id}/pack.pdf")
    assert response.status_code == 200
    return " ".join(pdf_text(response.content).split())  # lines wrap where the page ends


def shows_only_the_restriction(text, child):
    return (
        child.reference in text
        and "Restricted" in text
        and not any(secret in text for secret in (NAME, DOB, WORKER, LEVEL, ACTION, DECISION))
    )


def record_link(child):
    return f'href="/children/{child.public_id}/"'


# A restricted child on the agenda (point 3)


@pytest.mark.parametrize("role", list(Role))
def test_meeting_page_shows_a_restricted_child_as_reference_and_restricted_until_a_reason_is_given(
    role, users, client_for, meeting, series, restricted
):
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)
    if role in NO_CHILD_RECORDS:
        assert client.get(f"/meetings/{meeting.public_id}/").status_code == 403
        return

    before = meeting_page(client, meeting)
    assert shows_only_the_restriction(before, restricted)

    if role in OPEN_AGENDA_RECORDS:
        assert record_link(restricted) in before  # the record asks for the reason
        restricted_access_grant(actor=user, child=restricted, reason=REASON)
        after = meeting_page(client, meeting)
        assert all(shown in after for shown in ("Perpetua", NAME, WORKER, LEVEL, ACTION))
    else:
        assert record_link(restricted) not in before
        with pytest.raises(PermissionDenied):
            restricted_access_grant(actor=user, child=restricted, reason=REASON)
        assert shows_only_the_restriction(meeting_page(client, meeting), restricted)


@pytest.mark.parametrize("role", list(Role))
def test_meeting_pack_shows_a_restricted_child_as_reference_and_restricted_until_a_reason_is_given(
    role, users, client_for, meeting, series, restricted
):
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)
    if role in NO_CHILD_RECORDS:
        assert client.get(f"/meetings/{meeting.public_id}/pack.pdf").status_code == 403
        return

    assert shows_only_the_restriction(pack_text(client, meeting), restricted)

    if role in OPEN_AGENDA_RECORDS:
        restricted_access_grant(actor=user, child=restricted, reason=REASON)
        after = pack_text(client, meeting)
        assert all(shown in after for shown in (NAME, DOB, WORKER, LEVEL, ACTION))
    else:
        assert shows_only_the_restriction(pack_text(client, meeting), restricted)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER])
def test_the_allocated_worker_and_their_team_manager_see_a_restricted_agenda_child_without_a_reason(
    role, users, client_for, meeting, series, team
):
    child = ChildFactory(
        last_name=NAME, is_restricted=True, allocated_worker=users["social_worker"], team=team
    )
    on_agenda(meeting, users, child, reasons=[f"Sexual exploitation: {LEVEL}"])
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)

    assert NAME in meeting_page(client, meeting)
    assert NAME in pack_text(client, meeting)
    assert record_link(child) in meeting_page(client, meeting)


def test_a_manager_of_another_team_gives_a_reason_to_see_a_restricted_child_on_the_agenda(
    users, client_for, meeting, restricted
):
    client = client_for(users["manager"])  # the manager of `team`, not of the child's team

    assert shows_only_the_restriction(meeting_page(client, meeting), restricted)


def test_the_chair_gives_a_reason_like_anyone_else_to_see_a_restricted_child_on_the_agenda(
    client_for, meeting, series, restricted
):
    chair = series.chair
    client = client_for(chair)
    minutes = client.get(f"/meetings/{meeting.public_id}/minutes/").content.decode()

    assert shows_only_the_restriction(meeting_page(client, meeting), restricted)
    assert shows_only_the_restriction(pack_text(client, meeting), restricted)
    assert NAME not in minutes

    reason = client.post(f"/children/{restricted.public_id}/reason/", {"reason": REASON})

    assert reason.status_code == 302
    assert AuditEvent.objects.filter(
        actor=chair, action=AuditEvent.Action.RESTRICTED_OPEN, child_id=restricted.public_id
    ).exists()
    assert NAME in meeting_page(client, meeting)
    assert NAME in pack_text(client, meeting)


@pytest.mark.parametrize("role", list(Role))
def test_recording_the_discussion_of_a_restricted_child_asks_a_runner_for_a_reason_first(
    role, users, client_for, meeting, series, restricted
):
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)
    url = f"/meetings/{meeting.public_id}/items/{meeting.items.get().pk}/"

    before = client.get(url)

    if role in RUNNERS:
        assert before.status_code == 302
        assert before["Location"] == f"/children/{restricted.public_id}/reason/"
        restricted_access_grant(actor=user, child=restricted, reason=REASON)
        after = client.get(url)
        assert after.status_code == 200
        assert NAME in after.content.decode()
    else:
        assert before.status_code == 403
        if role in OPEN_AGENDA_RECORDS:
            restricted_access_grant(actor=user, child=restricted, reason=REASON)
        assert client.get(url).status_code == 403


# Panel membership gives the agenda's summary, not the record (point 13)


@pytest.mark.parametrize("role", list(Role))
def test_panel_membership_opens_the_full_record_of_an_agenda_child_only_for_panel_members(
    role, users, client_for, series, open_child
):
    user = users[role.value]
    series.members.add(user)

    response = client_for(user).get(f"/children/{open_child.public_id}/")

    if role in OPEN_AGENDA_RECORDS:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("role", list(Role))
def test_a_member_who_cannot_open_the_record_sees_the_agenda_summary_without_a_link_to_it(
    role, users, client_for, meeting, series, open_child
):
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)
    if role in NO_CHILD_RECORDS:
        assert client.get(f"/meetings/{meeting.public_id}/").status_code == 403
        return

    page = meeting_page(client, meeting)
    pack = pack_text(client, meeting)

    for summary in ("Wilhelmina Ashbourne", open_child.reference, "Missing now", ACTION):
        assert summary in page
    assert DECISION in page
    assert "Ashbourne" in pack
    if role in OPEN_AGENDA_RECORDS:
        assert record_link(open_child) in page
        assert WORKER in page
    else:
        assert record_link(open_child) not in page
        assert WORKER not in page
        assert WORKER not in pack


@pytest.mark.parametrize("role", sorted(SUMMARY_ONLY))
def test_a_member_still_opens_the_record_of_a_child_they_work_with_through_their_own_relationship(
    role, users, client_for, meeting, series, open_child
):
    user = users[role.value]
    series.members.add(user)
    client = client_for(user)
    url = f"/children/{open_child.public_id}/"
    assert client.get(url).status_code in (403, 404)

    if role == Role.RHI_WORKER:  # referred to their agency
        assert user.agency.kind == Agency.Kind.RETURN_INTERVIEW_PROVIDER
        InvolvementFactory(child=open_child, kind=Involvement.Kind.RHI_PROVIDER, agency=user.agency)
    elif role == Role.SOCIAL_WORKER:
        open_child.allocated_worker = user
        open_child.save(update_fields=["allocated_worker"])
    else:
        InvolvementFactory(child=open_child, user=user)

    assert client.get(url).status_code == 200
    assert record_link(open_child) in meeting_page(client, meeting)
