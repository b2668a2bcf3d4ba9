"""Return interview pages: who may nominate another provider; the pages keep the episode's
addresses and the names they had when they lived in episodes."""

import datetime
import uuid

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from mace.accounts.models import Role
from mace.api.tests.helpers import api_client
from mace.episodes import services
from mace.interviews import domain, views
from mace.interviews import services as interview_services
from mace.interviews.models import PROVIDER_NOT_KNOWN
from mace.people.tests.factories import ChildFactory

NOW = timezone.now()


@pytest.fixture
def child(users, team):
    return ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)


@pytest.mark.django_db
def test_only_a_manager_may_nominate_another_provider(users, child, client_for, agency):
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=30),
        reported_at=NOW - datetime.timedelta(hours=29),
    )
    services.episode_record_return(
        actor=officer,
        episode=episode,
        returned_at=NOW - datetime.timedelta(hours=20),
        return_method="self",
    )
    form = {"provider": agency.pk, "nominated_reason": "Knows the child well"}
    worker_response = client_for(users[Role.SOCIAL_WORKER]).post(
        f"/episodes/{episode.public_id}/refer/", form
    )
    assert "Only a manager can nominate" in worker_response.content.decode()
    manager_response = client_for(users[Role.MANAGER]).post(
        f"/episodes/{episode.public_id}/refer/", form
    )
    assert manager_response.status_code == 302
    episode.refresh_from_db()
    assert episode.return_interview.provider == agency
    assert "Nominated by a manager (003 §25)" in episode.return_interview.provider_rule


@pytest.mark.parametrize(
    ("name", "view"),
    [
        ("safe-and-well", views.safe_and_well),
        ("refer", views.refer),
        ("offer", views.offer),
        ("interview", views.interview),
    ],
)
def test_interview_pages_keep_their_episode_address_and_old_name(name, view):
    public_id = uuid.uuid4()
    address = f"/episodes/{public_id}/{name}/"
    assert reverse(f"interviews:{name.replace('-', '_')}", args=[public_id]) == address
    assert reverse("episodes:action", args=[public_id, name]) == address
    assert resolve(address).func is view


@pytest.mark.django_db
def test_an_interview_with_the_provider_not_known_shows_on_every_page_and_the_api(
    users, child, client_for
):
    """Issue 18: the tracker import records interviews with no provider agency set up; the
    episode's page, its timeline, the coordinator's refusals and the API say the provider
    is not known (not that the placing authority arranges it), and the record goes on."""
    coordinator = users[Role.MISSING_COORDINATOR]
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=30),
        reported_at=NOW - datetime.timedelta(hours=29),
    )
    services.episode_record_return(
        actor=officer,
        episode=episode,
        returned_at=NOW - datetime.timedelta(hours=20),
        return_method="self",
    )
    # As the tracker import writes it (mace.imports.importer.record_interview).
    interview = domain.new_interview(
        episode=episode,
        provider=None,
        provider_rule=domain.provider_not_known_rule("13 and over, missing from home: x"),
        referred_at=NOW - datetime.timedelta(hours=19),
    )
    interview.save()
    interview_services.interview_record_offer(
        actor=coordinator,
        interview=interview,
        offered_at=NOW - datetime.timedelta(hours=18),
        response="declined",
        refusal_safeguarding_considered="Not a safeguarding concern; offered again",
    )
    client = client_for(coordinator)

    detail = client.get(f"/episodes/{episode.public_id}/").content.decode()
    assert "Not known (recorded from the tracker)" in detail
    assert "Return interview recorded, provider not known" in detail
    assert "Arranged by the placing authority" not in detail
    assert "placing authority" not in detail.lower()

    refusals = client.get("/worklist/missing/").content.decode()
    assert "Not known (recorded from the tracker)" in refusals

    api = api_client(coordinator).get(f"/api/v1/interviews/{interview.public_id}/").json()
    assert api["provider"] is None
    assert api["provider_label"] == "Not known (recorded from the tracker)"
    assert api["provider_rule"].startswith(PROVIDER_NOT_KNOWN)
    assert api["status"] == "declined"
