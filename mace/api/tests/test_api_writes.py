"""Writes through the API: the same services as the pages, the version carried, nothing
lost to a second writer, and bad input answered with what to fix (issue 8)."""

import datetime

import pytest
from django.utils import timezone

from mace.audit.models import AuditEvent
from mace.episodes.models import Episode
from mace.people.models import Child
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

from .helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users, team):
    return ChildFactory.create(
        first_name="Peregrine",
        last_name="Ashdown-Kell",
        date_of_birth=datetime.date(2011, 6, 30),
        allocated_worker=users["social_worker"],
        team=team,
    )


def test_create_a_child_and_read_it_back(users):
    client = api_client(users["missing_coordinator"])
    made = client.post(
        "/api/v1/children/",
        {
            "first_name": "Tamsin",
            "last_name": "Oxenbould",
            "date_of_birth": "2012-02-29",
            "gender": "female",
            "legal_status_on_creation": "CLA",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["legal_status"] == "CLA"
    assert body["version"] == 1
    assert body["reference"].startswith("MC-")
    again = client.get(f"/api/v1/children/{body['id']}/").json()
    assert again["last_name"] == "Oxenbould"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=body["id"]).exists()


def test_bad_input_says_what_to_fix_and_saves_nothing(users):
    before = Child.objects.count()
    response = api_client(users["missing_coordinator"]).post(
        "/api/v1/children/",
        {"first_name": "", "last_name": "Oxenbould", "date_of_birth": "29/02/2012"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "first_name" in error["fields"]
    assert "YYYY-MM-DD" in " ".join(error["fields"]["date_of_birth"])
    assert Child.objects.count() == before


def test_a_change_carries_the_version_it_started_from(users, child):
    client = api_client(users["social_worker"])
    missing = client.patch(
        f"/api/v1/children/{child.public_id}/", {"preferred_name": "Perry"}, format="json"
    )
    assert missing.status_code == 400
    assert "version" in missing.json()["error"]["fields"]

    changed = client.patch(
        f"/api/v1/children/{child.public_id}/",
        {"preferred_name": "Perry", "version": child.version},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == child.version + 1


def test_the_second_of_two_writers_gets_a_conflict_and_nothing_is_overwritten(users, child):
    """Two people, two tokens, both read version 1; the first saves; the second is refused."""
    first = api_client(users["social_worker"])
    second = api_client(users["missing_coordinator"])
    version = first.get(f"/api/v1/children/{child.public_id}/").json()["version"]
    assert second.get(f"/api/v1/children/{child.public_id}/").json()["version"] == version

    saved = first.patch(
        f"/api/v1/children/{child.public_id}/",
        {"school": "Larkspur Academy", "version": version},
        format="json",
    )
    refused = second.patch(
        f"/api/v1/children/{child.public_id}/",
        {"school": "Millbrook High", "version": version},
        format="json",
    )

    assert saved.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "edit_conflict"
    assert "Someone else saved" in refused.json()["error"]["message"]
    child.refresh_from_db()
    assert child.school == "Larkspur Academy"
    assert child.version == version + 1


def test_report_an_episode_and_record_the_return_moves_the_interview_deadline(users, child):
    client = api_client(users["police_officer"])
    last_seen = timezone.now() - datetime.timedelta(hours=30)
    made = client.post(
        "/api/v1/episodes/",
        {
            "child": str(child.public_id),
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": last_seen.isoformat(),
            "risk_grade": "medium",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    episode = made.json()
    assert episode["risk_grade"] == "medium"

    returned = timezone.now() - datetime.timedelta(hours=2)
    back = client.patch(
        f"/api/v1/episodes/{episode['id']}/",
        {"returned_at": returned.isoformat(), "version": episode["version"]},
        format="json",
    )
    assert back.status_code == 200, back.json()
    t7 = DueItem.objects.get(rule="T7", episode__public_id=episode["id"])
    assert t7.due_at == Episode.objects.get(public_id=episode["id"]).returned_at + (
        datetime.timedelta(hours=72)
    )


def test_an_episode_with_a_return_before_it_began_is_refused(users, child):
    client = api_client(users["police_officer"])
    now = timezone.now()
    response = client.post(
        "/api/v1/episodes/",
        {
            "child": str(child.public_id),
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": now.isoformat(),
            "returned_at": (now - datetime.timedelta(days=1)).isoformat(),
            "risk_grade": "medium",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert not Episode.objects.filter(child=child).exists()


@pytest.mark.parametrize("role", ["rhi_worker", "inclusion_officer", "panel_member"])
def test_roles_that_do_not_record_episodes_are_refused(users, child, role):
    from mace.people.models import Involvement
    from mace.people.tests.factories import InvolvementFactory

    InvolvementFactory.create(child=child, user=users[role], kind=Involvement.Kind.OTHER)
    response = api_client(users[role]).post(
        "/api/v1/episodes/",
        {
            "child": str(child.public_id),
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Episode.objects.filter(child=child).exists()


def test_an_unknown_endpoint_answers_in_the_same_shape(users):
    response = api_client(users["manager"]).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_bad_filter_is_a_400_that_names_it(users):
    response = api_client(users["manager"]).get("/api/v1/episodes/", {"child": "not-a-uuid"})
    assert response.status_code == 400
    assert "child" in response.json()["error"]["fields"]


def test_rate_limits_answer_429(users, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "2/minute"},
    }
    from django.core.cache import cache

    cache.clear()
    client = api_client(users["manager"])
    codes = [client.get("/api/v1/children/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/children/").json()["error"]["code"] == "throttled"
    cache.clear()


def test_pages_are_bounded(users, team):
    ChildFactory.create_batch(7, team=team)
    body = api_client(users["manager"]).get("/api/v1/children/", {"page_size": 5}).json()
    assert body["count"] >= 7
    assert len(body["results"]) == 5
    assert body["next"]


@pytest.mark.parametrize(
    "moment", ["0525-01-31T08:07:53-22:22", "0001-01-01T00:00:00+05:00", "2026-13-01T00:00"]
)
def test_odd_moments_in_filters_are_a_400_not_a_server_error(users, moment):
    """Found by schemathesis: PostgreSQL refuses offsets past 15:59."""
    response = api_client(users["manager"]).get("/api/v1/children/", {"updated_since": moment})
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert "updated_since" in response.json()["error"]["fields"]


def test_a_moment_with_a_large_offset_still_filters_correctly(users, child):
    client = api_client(users["manager"])
    since = (child.updated_at - datetime.timedelta(minutes=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=-22, minutes=-22))
    )
    found = client.get("/api/v1/children/", {"updated_since": since.isoformat()}).json()
    assert str(child.public_id) in {row["id"] for row in found["results"]}


def test_an_id_with_a_newline_in_it_is_a_json_404(users):
    """Found by schemathesis: the catch-all must match any character."""
    response = api_client(users["manager"]).get("/api/v1/children/%0Anot-an-id/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
