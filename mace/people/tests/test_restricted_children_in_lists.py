"""A restricted child in a list of children (issue 16, SPEC C11).

Search, the duplicate warning on the create page and the merge picker show a restricted
child as its reference and "Restricted" only, linking to the record (which asks for a
reason), until the user may open it now: exempt (allocated worker, team manager) or with a
reason in force. Then the child shows in full, as everywhere else.

The one restricted child here is allocated to the social worker, in the manager's team,
referred to the RHI worker's agency, worked with by the inclusion officer and on a panel
agenda of the panel member, so every role that may search finds it.
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.access.models import RestrictedAccessGrant
from mace.accounts.models import Role
from mace.meetings.models import AgendaItem, PanelMeeting
from mace.meetings.tests.helpers import weekly_series
from mace.people.models import Child, Involvement
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

FULL = "shown in full"
REFERENCE_ONLY = "reference and Restricted only"
REFUSED = "refused"

SEARCH = {
    Role.SOCIAL_WORKER: FULL,  # the allocated worker
    Role.MANAGER: FULL,  # the child's team's manager
    Role.POLICE_OFFICER: REFERENCE_ONLY,
    Role.MISSING_COORDINATOR: REFERENCE_ONLY,
    Role.RHI_WORKER: REFERENCE_ONLY,
    Role.INCLUSION_OFFICER: REFERENCE_ONLY,
    Role.PANEL_MEMBER: REFERENCE_ONLY,
    Role.ANALYST: REFUSED,
    Role.AUDITOR: REFUSED,
    Role.ADMINISTRATOR: REFUSED,
}
ASKED_FOR_A_REASON = [role for role, seen in SEARCH.items() if seen == REFERENCE_ONLY]

# Who may add a child (and so sees the duplicate warning), and how the restricted match shows.
DUPLICATE_WARNING = {
    Role.SOCIAL_WORKER: FULL,
    Role.MANAGER: FULL,
    Role.POLICE_OFFICER: REFERENCE_ONLY,
    Role.MISSING_COORDINATOR: REFERENCE_ONLY,
    Role.INCLUSION_OFFICER: REFERENCE_ONLY,
    Role.RHI_WORKER: REFUSED,
    Role.PANEL_MEMBER: REFUSED,
    Role.ANALYST: REFUSED,
    Role.AUDITOR: REFUSED,
    Role.ADMINISTRATOR: REFUSED,
}

DATE_OF_BIRTH = datetime.date(2011, 2, 3)


@pytest.fixture
def restricted(users, team):
    worker = users[Role.SOCIAL_WORKER]
    worker.first_name, worker.last_name = "Wendeline", "Oyelaran"
    worker.save()
    child = ChildFactory(
        first_name="Quilla",
        last_name="Vantongeren",
        date_of_birth=DATE_OF_BIRTH,
        is_restricted=True,
        allocated_worker=worker,
        team=team,
    )
    child.aliases.create(name="Quill Tongey")
    today = timezone.localdate()
    Involvement.objects.create(
        child=child,
        kind=Involvement.Kind.RHI_PROVIDER,
        agency=users[Role.RHI_WORKER].agency,
        start_date=today,
    )
    Involvement.objects.create(
        child=child,
        kind=Involvement.Kind.INCLUSION,
        user=users[Role.INCLUSION_OFFICER],
        start_date=today,
    )
    series = weekly_series()
    series.members.add(users[Role.PANEL_MEMBER])
    meeting = PanelMeeting.objects.create(series=series, date=today, starts_at=timezone.now())
    AgendaItem.objects.create(meeting=meeting, section="missing", child=child)
    return child


def _details(child: Child) -> list[str]:
    """What a list must not show of a restricted child the user has not opened."""
    return [
        child.first_name,
        child.last_name,
        "Quill Tongey",
        "3 Feb 2011",
        "Wendeline",
        "Oyelaran",
    ]


def results(page: str) -> str:
    """The results table alone: the search box above it echoes what was typed."""
    start = page.index('data-testid="search-results"')
    return page[start : page.index("</table>", start)]


def assert_reference_only(page: str, child: Child) -> None:
    assert child.reference in page
    assert "Restricted" in page
    assert f'href="/children/{child.public_id}/"' in page  # the record asks for the reason
    for detail in _details(child):
        assert escape(detail) not in page, detail


def assert_full(page: str, child: Child) -> None:
    assert child.reference in page
    assert f'href="/children/{child.public_id}/"' in page
    assert escape(child.last_name) in page
    assert "3 Feb 2011" in page


@pytest.mark.parametrize("role", list(Role))
def test_search_shows_a_restricted_child_as_reference_only_until_a_reason_is_given(
    role, users, restricted, client_for
):
    client = client_for(users[role])
    for query in ("Vantongeren", "Quill Tongey", "3/2/2011", restricted.reference):
        response = client.post("/children/", {"query": query})
        if SEARCH[role] == REFUSED:
            assert response.status_code == 403
            assert "Vantongeren" not in response.content.decode()
            continue
        assert response.status_code == 200
        page = results(response.content.decode())
        if SEARCH[role] == FULL:
            assert_full(page, restricted)
            assert "Wendeline Oyelaran" in page  # the allocated worker
        else:
            assert_reference_only(page, restricted)


@pytest.mark.parametrize("role", ASKED_FOR_A_REASON)
def test_search_shows_a_restricted_child_in_full_once_a_reason_is_given(
    role, users, restricted, client_for
):
    user = users[role]
    client = client_for(user)
    restricted_access_grant(
        actor=user, child=restricted, reason="Reported missing tonight; checking associates"
    )
    page = results(client.post("/children/", {"query": "Vantongeren"}).content.decode())
    assert_full(page, restricted)
    # Once the reason has lapsed the details are withheld again.
    RestrictedAccessGrant.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    page = results(client.post("/children/", {"query": "Vantongeren"}).content.decode())
    assert_reference_only(page, restricted)


def _create_form(**changes: str) -> dict[str, str]:
    form = {
        "first_name": "Quila",
        "last_name": "Vantongeren",
        "date_of_birth_0": "3",
        "date_of_birth_1": "2",
        "date_of_birth_2": "2011",
        "gender": "female",
        "ethnicity": "NOBT",
        "legal_status": "NONE",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize("role", list(Role))
def test_duplicate_warning_shows_a_restricted_child_as_reference_only_until_a_reason_is_given(
    role, users, restricted, client_for
):
    client = client_for(users[role])
    response = client.post("/children/new/", _create_form())
    if DUPLICATE_WARNING[role] == REFUSED:
        assert response.status_code == 403
        assert "Vantongeren" not in response.content.decode()
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "This child may already have a record" in page
    warning = page[page.index('data-testid="duplicate-warning"') : page.index("</table>")]
    if DUPLICATE_WARNING[role] == FULL:
        assert_full(warning, restricted)
    else:
        assert_reference_only(warning, restricted)
    assert Child.objects.count() == 1  # nothing saved until the user confirms


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.INCLUSION_OFFICER])
def test_duplicate_warning_names_only_children_the_user_may_open(role, users, client_for):
    """A possible duplicate the user does not work with is still flagged (so no second
    record is made), by its reference only: its name is not theirs to see."""
    other = ChildFactory(
        first_name="Ottoline", last_name="Farquharson", date_of_birth=DATE_OF_BIRTH
    )
    client = client_for(users[role])
    form = _create_form(first_name="Ottolyne", last_name="Farquharson")
    page = client.post("/children/new/", form).content.decode()
    assert "This child may already have a record" in page
    assert other.reference in page
    assert "Ottoline" not in page
    assert "3 Feb 2011" not in page.split('data-testid="duplicate-warning"')[1].split("<form")[0]


@pytest.mark.parametrize("role", list(Role))
def test_merge_picker_shows_a_restricted_duplicate_only_once_opened_with_a_reason(
    role, users, team, restricted, client_for
):
    keep = ChildFactory(first_name="Quilla", last_name="Vantongerin", team=team)
    client = client_for(users[role])
    response = client.post(
        f"/children/{keep.public_id}/merge/", {"reference": restricted.reference}
    )
    if role == Role.MANAGER:  # may merge, and exempt as the child's team's manager
        assert response.status_code == 200
        assert "Check these are the same child" in response.content.decode()
        assert "3 Feb 2011" in response.content.decode()
        return
    if role != Role.MISSING_COORDINATOR:  # only managers and the coordinator merge
        assert response.status_code == 403
        assert "Vantongeren" not in response.content.decode()
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check these are the same child" not in page
    assert f"{restricted.reference} is restricted" in page
    assert f'href="/children/{restricted.public_id}/"' in page
    assert "Vantongeren" not in page
    assert "3 Feb 2011" not in page
    restricted_access_grant(
        actor=users[role], child=restricted, reason="Checking a possible duplicate record"
    )
    response = client.post(
        f"/children/{keep.public_id}/merge/", {"reference": restricted.reference}
    )
    assert "Check these are the same child" in response.content.decode()
