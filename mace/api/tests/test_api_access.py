"""The API applies the same access rules as the pages, role by role, both ways (issue 8)."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.episodes.services import episode_report
from mace.intelligence.models import Link
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.intelligence.tests.factories import LinkFactory, PersonOfConcernFactory
from mace.people.models import Involvement
from mace.people.tests.factories import ChildFactory, InvolvementFactory

from .helpers import api_client

pytestmark = pytest.mark.django_db

PARTNERSHIP_WIDE = ["police_officer", "missing_coordinator", "manager"]
BY_RELATIONSHIP = ["social_worker", "rhi_worker", "inclusion_officer", "panel_member"]
NO_CHILD_RECORDS = ["analyst", "auditor", "administrator"]
CLEARED = ["police_officer", "missing_coordinator", "manager"]


def test_every_role_is_covered():
    assert set(PARTNERSHIP_WIDE + BY_RELATIONSHIP + NO_CHILD_RECORDS) == {r.value for r in Role}


@pytest.fixture
def child(users, team):
    child = ChildFactory.create(
        first_name="Ysolde",
        last_name="Pettigrew",
        date_of_birth=datetime.date(2011, 4, 2),
        allocated_worker=users["social_worker"],
        team=team,
    )
    for role, kind in [
        ("rhi_worker", Involvement.Kind.RHI_PROVIDER),
        ("inclusion_officer", Involvement.Kind.INCLUSION),
        ("panel_member", Involvement.Kind.OTHER),
    ]:
        InvolvementFactory.create(child=child, user=users[role], kind=kind)
    episode_report(
        actor=users["police_officer"],
        child=child,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.HOME,
        last_seen_at=timezone.now() - datetime.timedelta(hours=5),
        risk_grade="medium",
    )
    return child


@pytest.fixture
def stranger(db):
    """A child nobody in the BY_RELATIONSHIP roles has any relationship with."""
    return ChildFactory.create(
        first_name="Oriel", last_name="Vantongeren", date_of_birth=datetime.date(2010, 1, 9)
    )


def test_without_a_token_the_api_answers_401_in_the_one_error_shape(child):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/children/")
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_session_without_a_token_is_not_enough(child, users, client_for):
    """Signed in on the web with both factors is not an API credential."""
    response = client_for(users["manager"]).get("/api/v1/children/")
    assert response.status_code == 401


@pytest.mark.parametrize("role_user", PARTNERSHIP_WIDE, indirect=True)
def test_partnership_wide_roles_list_every_child(role_user, child, stranger):
    ids = {row["id"] for row in api_client(role_user).get("/api/v1/children/").json()["results"]}
    assert {str(child.public_id), str(stranger.public_id)} <= ids


@pytest.mark.parametrize("role_user", BY_RELATIONSHIP, indirect=True)
def test_roles_by_relationship_list_only_their_children(role_user, child, stranger):
    client = api_client(role_user)
    ids = {row["id"] for row in client.get("/api/v1/children/").json()["results"]}
    assert str(child.public_id) in ids
    assert str(stranger.public_id) not in ids
    assert client.get(f"/api/v1/children/{child.public_id}/").status_code == 200
    refused = client.get(f"/api/v1/children/{stranger.public_id}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert "Vantongeren" not in refused.content.decode()


@pytest.mark.parametrize("role_user", NO_CHILD_RECORDS, indirect=True)
@pytest.mark.parametrize(
    "path", ["children", "episodes", "interviews", "assessments", "links", "due-items"]
)
def test_roles_without_child_records_get_nothing(role_user, path, child):
    response = api_client(role_user).get(f"/api/v1/{path}/")
    assert response.status_code == 403
    assert "Pettigrew" not in response.content.decode()


@pytest.mark.parametrize("role_user", PARTNERSHIP_WIDE + BY_RELATIONSHIP, indirect=True)
def test_episodes_of_children_one_may_see(role_user, child, stranger, users):
    episode_report(
        actor=users["police_officer"],
        child=stranger,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.HOME,
        last_seen_at=timezone.now() - datetime.timedelta(hours=2),
    )
    rows = api_client(role_user).get("/api/v1/episodes/").json()["results"]
    children = {row["child"] for row in rows}
    assert str(child.public_id) in children
    assert (str(stranger.public_id) in children) == (role_user.role in PARTNERSHIP_WIDE)


def test_a_restricted_record_shows_only_that_it_exists_until_a_reason_is_given(
    users, child, client_for
):
    child.is_restricted = True
    child.save()
    coordinator = users["missing_coordinator"]
    client = api_client(coordinator)

    listed = client.get("/api/v1/children/", {"reference": child.reference}).json()["results"]
    assert listed == [
        {
            "id": str(child.public_id),
            "reference": child.reference,
            "restricted": True,
            "name": None,
            "date_of_birth": None,
            "legal_status": None,
        }
    ]
    refused = client.get(f"/api/v1/children/{child.public_id}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reason_required"
    assert client.get("/api/v1/episodes/", {"child": str(child.public_id)}).json()["count"] == 0

    # The reason is given in MACE, with both factors; the API then serves the record.
    web = client_for(coordinator)
    web.post(
        f"/children/{child.public_id}/reason/",
        {"reason": "Planning tonight's search with the police"},
    )
    opened = client.get(f"/api/v1/children/{child.public_id}/")
    assert opened.status_code == 200
    assert opened.json()["last_name"] == "Pettigrew"

    # The allocated worker needs no reason for their own child.
    own = api_client(users["social_worker"]).get(f"/api/v1/children/{child.public_id}/")
    assert own.status_code == 200


@pytest.fixture
def links(child):
    person = PersonOfConcernFactory.create(first_name="Barnaby", last_name="Quillfeather")
    LinkFactory.create(child=child, person=person, kind=Link.Kind.EXPLOITER)
    return person


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_cleared_roles_read_intelligence_links(role_user, child, links):
    rows = api_client(role_user).get("/api/v1/links/").json()["results"]
    assert [row["person"] for row in rows] == [str(links.public_id)]


@pytest.mark.parametrize(
    "role_user", [r for r in PARTNERSHIP_WIDE + BY_RELATIONSHIP if r not in CLEARED], indirect=True
)
def test_others_learn_only_that_intelligence_is_restricted(role_user, child, links):
    response = api_client(role_user).get("/api/v1/links/")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "restricted",
        "message": RESTRICTED_MARKER,
    }
    assert str(links.public_id) not in response.content.decode()


def test_the_worklist_is_the_users_own(users, child):
    worker = api_client(users["social_worker"]).get("/api/v1/due-items/").json()["results"]
    police = api_client(users["police_officer"]).get("/api/v1/due-items/").json()["results"]
    assert worker
    assert all(row["child"] == str(child.public_id) for row in worker)
    assert {row["key"] for row in worker}.isdisjoint({row["key"] for row in police})


def test_viewing_a_record_through_the_api_is_audited(users, child):
    from mace.audit.models import AuditEvent

    api_client(users["manager"]).get(f"/api/v1/children/{child.public_id}/")
    assert AuditEvent.objects.filter(
        actor=users["manager"], action=AuditEvent.Action.VIEW, child_id=child.public_id
    ).exists()


REPORTERS = ["analyst", "manager", "missing_coordinator"]


@pytest.mark.parametrize("role_user", REPORTERS, indirect=True)
def test_reports_through_the_api_for_those_who_run_reports(role_user, child):
    client = api_client(role_user)
    annual = client.get("/api/v1/reports/annual/", {"start": "2025-04-01", "end": "2026-03-31"})
    assert annual.status_code == 200
    assert {"episodes", "children", "monthly", "rhi"} <= set(annual.json())
    data = client.get("/api/v1/reports/dataset/", {"quarter": "2026Q1"}).json()
    assert data["restricted_included"] is (role_user.role != "analyst")


@pytest.mark.parametrize(
    "role_user", [r.value for r in Role if r.value not in REPORTERS], indirect=True
)
def test_reports_through_the_api_refused_to_others(role_user):
    client = api_client(role_user)
    response = client.get("/api/v1/reports/annual/", {"start": "2025-04-01", "end": "2026-03-31"})
    assert response.status_code == 403


def test_a_bad_report_query_says_what_to_fix(users):
    client = api_client(users["analyst"])
    response = client.get("/api/v1/reports/annual/", {"start": "2026-03-31", "end": "2025-04-01"})
    assert response.status_code == 400
    assert "end" in response.json()["error"]["fields"]
    assert client.get("/api/v1/reports/dataset/", {"quarter": "Q1"}).status_code == 400
