"""A restricted child on a worklist is shown by reference and "Restricted" only, to everyone
who would have to give a reason to open the record, until they have (C11, issue 16).

The allocated worker and their team's managers see the name; so does anyone who has given a
reason that is still in force. Roles that do not see the child at all do not see it here."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.episodes.models import Episode
from mace.people.models import LegalStatus
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory

HOUR = datetime.timedelta(hours=1)
PAGES = ("/worklist/", "/worklist/team/", "/worklist/missing/")
EXEMPT = {Role.SOCIAL_WORKER, Role.MANAGER}  # the allocated worker, the team's manager
ASKED_FOR_A_REASON = {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR}


@pytest.fixture
def restricted(users, team):
    """Two restricted children of the social worker's: one missing now, one returned and due
    a return home interview that is already late."""
    worker = users[Role.SOCIAL_WORKER]
    now = timezone.now()
    children = []
    for first, last, returned in (("Ysolde", "Marchbank", False), ("Tamsin", "Okonkwo", True)):
        child = ChildFactory(
            first_name=first,
            last_name=last,
            is_restricted=True,
            allocated_worker=worker,
            team=team,
        )
        LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
        episode = episodes.episode_report(
            actor=worker,
            child=child,
            kind="missing",
            missing_from="care",
            last_seen_at=now - 100 * HOUR,
            reported_at=now - 99 * HOUR,
        )
        if returned:
            episodes.episode_record_return(
                actor=worker, episode=episode, returned_at=now - 80 * HOUR
            )
        children.append(child)
    return children


def _pages(client):
    return "".join(
        response.content.decode()
        for response in (client.get(url) for url in PAGES)
        if response.status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_worklists_show_a_restricted_child_by_reference_only_until_a_reason_is_given(
    role, users, restricted, client_for
):
    page = _pages(client_for(users[role]))
    for child in restricted:
        if role in EXEMPT:
            assert escape(child.last_name) in page
        else:
            assert escape(child.last_name) not in page
            assert escape(child.first_name) not in page
    if role in ASKED_FOR_A_REASON:
        # They still see the work, and which child it is about, by reference.
        assert restricted[0].reference in page
        assert "Restricted" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ASKED_FOR_A_REASON))
def test_a_reason_in_force_shows_the_restricted_childs_name_on_worklists(
    role, users, restricted, client_for
):
    user = users[role]
    for child in restricted:
        restricted_access_grant(actor=user, child=child, reason="Checking tonight's reports")
    page = _pages(client_for(user))
    for child in restricted:
        assert escape(child.last_name) in page


@pytest.mark.django_db
def test_the_coordinator_sees_every_list_of_theirs_by_reference_for_a_restricted_child(
    users, restricted, client_for
):
    page = client_for(users[Role.MISSING_COORDINATOR]).get("/worklist/missing/").content.decode()
    assert "Missing now: 1" in page
    assert "Return interviews overdue" in page
    assert page.count("Restricted") >= 2  # missing now, and the interview overdue
    for child in restricted:
        assert child.reference in page
        assert escape(child.last_name) not in page
    assert Episode.objects.filter(child__in=restricted).count() == 2
