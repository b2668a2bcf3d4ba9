"""Episode pages: who may report and record, both ways; bad input explained; history kept."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.episodes import services
from mace.episodes.models import Episode
from mace.people.tests.factories import ChildFactory

NOW = timezone.now()


def stamp(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def child(users, team):
    return ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.POLICE_OFFICER, True),
        (Role.SOCIAL_WORKER, True),
        (Role.MISSING_COORDINATOR, True),
        (Role.MANAGER, True),
        (Role.RHI_WORKER, False),
        (Role.INCLUSION_OFFICER, False),
        (Role.PANEL_MEMBER, False),
        (Role.ANALYST, False),
        (Role.AUDITOR, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_report_missing_by_role(role, may, users, child, client_for):
    client = client_for(users[role])
    form = {
        "kind": "missing",
        "missing_from": "home",
        "last_seen_at": stamp(NOW - datetime.timedelta(hours=2)),
    }
    response = client.post(f"/children/{child.public_id}/report-missing/", form)
    assert response.status_code == (302 if may else 403)
    assert Episode.objects.filter(child=child).exists() is may


@pytest.mark.django_db
def test_bad_report_says_what_to_fix_and_saves_nothing(users, child, client_for):
    client = client_for(users[Role.POLICE_OFFICER])
    response = client.post(
        f"/children/{child.public_id}/report-missing/",
        {"kind": "away", "missing_from": "home", "last_seen_at": "yesterday teatime"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "for example 27/3/2026 14:30" in page
    assert not Episode.objects.exists()
    response = client.post(
        f"/children/{child.public_id}/report-missing/",
        {
            "kind": "away",
            "missing_from": "home",
            "last_seen_at": stamp(NOW - datetime.timedelta(hours=2)),
        },
    )
    assert "only for a child missing from a care placement" in response.content.decode()
    assert not Episode.objects.exists()


@pytest.mark.django_db
def test_edits_keep_history_in_the_audit_trail_and_timeline(users, child, client_for):
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=9),
        reported_at=NOW - datetime.timedelta(hours=8),
    )
    first_return = NOW - datetime.timedelta(hours=4)
    episode = services.episode_record_return(
        actor=officer, episode=episode, returned_at=first_return, return_method="self"
    )
    services.episode_record_return(
        actor=officer, episode=episode, returned_at=NOW - datetime.timedelta(hours=3)
    )
    changes = AuditEvent.objects.filter(object_id=str(episode.public_id), action="change").order_by(
        "at", "id"
    )
    assert changes.count() == 2
    assert changes.last().before["returned_at"] == first_return.isoformat()
    page = client_for(officer).get(f"/episodes/{episode.public_id}/").content.decode()
    assert "Episode changed" in page


@pytest.mark.django_db
def test_rhi_worker_sees_only_episodes_of_children_referred_to_them(users, child, client_for):
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=9),
        reported_at=NOW - datetime.timedelta(hours=8),
    )
    rhi = client_for(users[Role.RHI_WORKER])
    assert rhi.get(f"/episodes/{episode.public_id}/").status_code == 403
    from mace.people.models import Involvement

    Involvement.objects.create(
        child=child,
        kind="rhi_provider",
        agency=users[Role.RHI_WORKER].agency,
        start_date=NOW.date(),
    )
    assert rhi.get(f"/episodes/{episode.public_id}/").status_code == 200


@pytest.mark.django_db
def test_two_people_editing_an_episode_the_second_gets_a_conflict(users, child):
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=9),
        reported_at=NOW - datetime.timedelta(hours=8),
    )
    started = episode.version
    services.episode_update(
        actor=officer, episode=episode, expected_version=started, circumstances="First"
    )
    from mace.lib.concurrency import EditConflict

    with pytest.raises(EditConflict):
        services.episode_update(
            actor=officer, episode=episode, expected_version=started, circumstances="Second"
        )
    episode.refresh_from_db()
    assert episode.circumstances == "First"


@pytest.mark.django_db
def test_changing_the_return_time_on_the_page_moves_the_72_hour_deadline(users, child, client_for):
    officer = users[Role.POLICE_OFFICER]
    episode = services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=30),
        reported_at=NOW - datetime.timedelta(hours=29),
    )
    episode = services.episode_record_return(
        actor=officer,
        episode=episode,
        returned_at=NOW - datetime.timedelta(hours=20),
        return_method="self",
    )
    from mace.worklist.models import DueItem

    corrected = (NOW - datetime.timedelta(hours=10)).replace(second=0, microsecond=0)
    response = client_for(officer).post(
        f"/episodes/{episode.public_id}/found/",
        {"returned_at": stamp(corrected), "return_method": "self", "version": episode.version},
    )
    assert response.status_code == 302
    assert DueItem.objects.get(rule="T7").due_at == corrected + datetime.timedelta(hours=72)


@pytest.mark.django_db
def test_reporting_children_missing_together_links_them_for_the_network(users, child, team):
    from mace.intelligence.models import Link

    friend = ChildFactory(team=team)
    services.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=5),
        reported_at=NOW - datetime.timedelta(hours=4),
        with_children=[friend],
    )
    link = Link.objects.get(kind="missing_together")
    assert {link.child_id, link.other_child_id} == {child.pk, friend.pk}
