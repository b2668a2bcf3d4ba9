"""The episode in the API carries the offer of a health assessment (T12, issue 18 point 8):
read by all who may read the episode, written by those who may record it on the episode page,
with the same checks ("No" needs a reason), the version carried, and in the OpenAPI schema."""

import pytest

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.episodes.tests.test_t12_health_assessment import t12

from .helpers import api_client

pytestmark = pytest.mark.django_db

MAY = [Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER]
MAY_NOT = [role for role in Role if role not in MAY]


def _url(episode):
    return f"/api/v1/episodes/{episode.public_id}/"


def test_the_episode_reads_the_offer_null_until_recorded(users, returned):
    body = api_client(users[Role.MISSING_COORDINATOR]).get(_url(returned)).json()
    assert body["health_assessment_offered"] is None
    assert body["health_assessment_not_offered_reason"] == ""
    assert body["health_assessment_recorded_at"] is None


@pytest.mark.parametrize("role", MAY)
def test_those_who_record_it_on_the_page_record_no_with_a_reason_then_yes(role, users, returned):
    client = api_client(users[role])
    refused = client.patch(
        _url(returned),
        {"health_assessment_offered": False, "version": returned.version},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["health_assessment_not_offered_reason"] == [
        "Enter why the health assessment has not been offered"
    ]
    saved = client.patch(
        _url(returned),
        {
            "health_assessment_offered": False,
            "health_assessment_not_offered_reason": "Asleep on return; offer at the next visit",
            "version": returned.version,
        },
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["health_assessment_offered"] is False
    assert body["health_assessment_not_offered_reason"] == (
        "Asleep on return; offer at the next visit"
    )
    assert body["health_assessment_recorded_at"] is not None
    assert body["version"] == returned.version + 1
    assert t12().status == "open"
    event = AuditEvent.objects.get(summary="Health assessment not offered")
    assert event.actor == users[role]

    stale = client.patch(
        _url(returned),
        {"health_assessment_offered": True, "version": returned.version},
        format="json",
    )
    assert stale.status_code == 409
    offered = client.patch(
        _url(returned),
        {"health_assessment_offered": True, "version": body["version"]},
        format="json",
    )
    assert offered.status_code == 200
    assert offered.json()["health_assessment_not_offered_reason"] == ""
    assert t12().status == "done"


@pytest.mark.parametrize("role", MAY_NOT)
def test_other_roles_may_not_record_it(role, users, returned):
    response = api_client(users[role]).patch(
        _url(returned),
        {"health_assessment_offered": True, "version": returned.version},
        format="json",
    )
    assert response.status_code in (403, 404)
    returned.refresh_from_db()
    assert returned.health_assessment_offered is None
    assert t12().status == "open"


def test_a_police_officer_who_reads_the_episode_is_refused_with_a_reason(users, returned):
    client = api_client(users[Role.POLICE_OFFICER])
    assert client.get(_url(returned)).status_code == 200
    response = client.patch(
        _url(returned),
        {"health_assessment_offered": True, "version": returned.version},
        format="json",
    )
    assert response.status_code == 403
    assert "health assessment" in response.json()["error"]["message"]


def test_a_reason_alone_says_what_to_send(users, returned):
    response = api_client(users[Role.MANAGER]).patch(
        _url(returned),
        {"health_assessment_not_offered_reason": "Declined", "version": returned.version},
        format="json",
    )
    assert response.status_code == 400
    assert "health_assessment_offered" in response.json()["error"]["fields"]


def test_the_episode_facts_and_the_offer_in_one_request(users, returned):
    response = api_client(users[Role.MISSING_COORDINATOR]).patch(
        _url(returned),
        {
            "where_been": "A friend's flat",
            "health_assessment_offered": True,
            "version": returned.version,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["where_been"] == "A friend's flat"
    assert body["health_assessment_offered"] is True
    assert body["version"] == returned.version + 2


def test_the_schema_describes_the_offer(users):
    schema = api_client(users[Role.ANALYST]).get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    read = components["Episode"]["properties"]
    assert read["health_assessment_offered"]["nullable"] is True
    assert "T12" in read["health_assessment_offered"]["description"]
    assert "health_assessment_recorded_at" in read
    write = components["PatchedEpisodeUpdateRequest"]["properties"]
    assert write["health_assessment_offered"]["type"] == "boolean"
    assert "health_assessment_not_offered_reason" in write
