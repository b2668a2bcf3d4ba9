"""Issue 18 point 8, T12 (003 §16): a child placed here by another authority who returns is
offered a health assessment. The offer is recorded on the episode, whoever arranges the
return interview; "No" keeps the item open and needs a reason, which is kept and shown."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.episodes import services
from mace.interviews import services as interviews
from mace.people.models import LocalAuthority
from mace.worklist.models import DueItem
from mace.worklist.tests.test_rules import HOME_CODE, NOW, found, make_child, place, report


@pytest.fixture
def returned(users, team):
    """A looked-after child placed here by Lambeth, found after going missing from care, the
    return interview arranged by the placing authority (no provider of ours)."""
    home = LocalAuthority.objects.get_or_create(
        ons_code=HOME_CODE, defaults={"name": "Northbridge Borough Council"}
    )[0]
    lambeth = LocalAuthority.objects.get_or_create(
        ons_code="E09000022", defaults={"name": "Lambeth"}
    )[0]
    officer = users[Role.POLICE_OFFICER]
    child = make_child(users[Role.SOCIAL_WORKER], team, status="CLA")
    place(child, lambeth, home)
    episode = found(officer, report(officer, child, missing_from="care"))
    interview = interviews.interview_refer(actor=users[Role.MISSING_COORDINATOR], episode=episode)
    assert interview.provider is None
    return episode


def t12():
    return DueItem.objects.get(rule="T12")


@pytest.mark.django_db
def test_t12_closes_when_the_offer_is_recorded_on_the_episode_of_a_placing_authority_interview(
    users, returned
):
    assert t12().status == "open"
    services.episode_record_health_assessment(
        actor=users[Role.MISSING_COORDINATOR], episode=returned, offered=True
    )
    returned.refresh_from_db()
    assert returned.health_assessment_offered is True
    assert returned.health_assessment_recorded_by == users[Role.MISSING_COORDINATOR]
    assert t12().status == "done"
    event = AuditEvent.objects.get(summary="Health assessment offered")
    assert event.after["health_assessment_offered"] is True


@pytest.mark.django_db
def test_t12_no_keeps_the_item_open_and_needs_a_reason(users, returned):
    worker = users[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as error:
        services.episode_record_health_assessment(actor=worker, episode=returned, offered=False)
    assert "not_offered_reason" in error.value.message_dict
    returned.refresh_from_db()
    assert returned.health_assessment_offered is None
    services.episode_record_health_assessment(
        actor=worker,
        episode=returned,
        offered=False,
        not_offered_reason="  Child asleep on return; to offer at the next visit  ",
    )
    returned.refresh_from_db()
    assert returned.health_assessment_offered is False
    assert (
        returned.health_assessment_not_offered_reason
        == "Child asleep on return; to offer at the next visit"
    )
    assert t12().status == "open"
    services.episode_record_health_assessment(actor=worker, episode=returned, offered=True)
    returned.refresh_from_db()
    assert returned.health_assessment_not_offered_reason == ""
    assert t12().status == "done"


@pytest.mark.django_db
def test_t12_no_in_the_interview_record_keeps_the_item_open(users, returned):
    coordinator = users[Role.MISSING_COORDINATOR]
    interview = returned.return_interview
    interview = interviews.interview_record(
        actor=coordinator,
        interview=interview,
        expected_version=interview.version,
        completed_at=NOW,
        health_assessment_offered=False,
        health_assessment_not_offered_reason="Asleep when the interview ended",
    )
    assert t12().status == "open"
    interviews.interview_record(
        actor=coordinator,
        interview=interview,
        expected_version=interview.version,
        health_assessment_offered=True,
    )
    assert t12().status == "done"


@pytest.mark.django_db
def test_t12_the_offer_cannot_be_recorded_before_the_child_returns(users, team):
    officer = users[Role.POLICE_OFFICER]
    episode = report(officer, make_child(users[Role.SOCIAL_WORKER], team))
    with pytest.raises(ValidationError, match="found or has returned first"):
        services.episode_record_health_assessment(
            actor=users[Role.MANAGER], episode=episode, offered=True
        )


@pytest.mark.django_db
def test_t12_a_police_officer_may_not_record_the_offer(users, returned, client_for):
    with pytest.raises(PermissionDenied):
        services.episode_record_health_assessment(
            actor=users[Role.POLICE_OFFICER], episode=returned, offered=True
        )
    client = client_for(users[Role.POLICE_OFFICER])
    page = f"/episodes/{returned.public_id}/"
    assert client.get(f"{page}health-assessment/").status_code == 403
    assert "Record the offer of a health assessment" not in client.get(page).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER])
def test_t12_the_episode_page_records_no_with_its_reason_then_yes(
    role, users, returned, client_for
):
    client = client_for(users[role])
    page = f"/episodes/{returned.public_id}/"
    form = f"{page}health-assessment/"
    assert "Record the offer of a health assessment" in client.get(page).content.decode()
    refused = client.post(form, {"offered": "false", "not_offered_reason": ""})
    assert refused.status_code == 200
    assert "Enter why the health assessment has not been offered" in refused.content.decode()
    assert client.post(form, {}).status_code == 200
    saved = client.post(form, {"offered": "false", "not_offered_reason": "Declined for now"})
    assert saved.status_code == 302
    shown = client.get(page).content.decode()
    assert "Not offered: Declined for now" in shown
    assert t12().status == "open"
    client.post(form, {"offered": "true", "not_offered_reason": ""})
    assert t12().status == "done"
    assert "Health assessment offered" in client.get(page).content.decode()
