"""The interview's record (003 A4): answering "No" to the offer of a health assessment (T12)
needs a reason, asked on its own field; the answer and reason are recorded on the episode,
where the T12 item reads them (issue 18 point 8)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.episodes.tests.test_t12_health_assessment import t12
from mace.interviews import services

pytestmark = pytest.mark.django_db


def _form(interview, **answers):
    done = timezone.localtime(interview.episode.returned_at + timezone.timedelta(hours=30))
    return {
        "completed_at": done.strftime("%d/%m/%Y %H:%M"),
        "childs_account": "Stayed with a friend; felt safe there",
        "version": interview.version,
        **answers,
    }


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER])
def test_no_without_a_reason_is_a_field_error_and_nothing_is_saved(
    role, users, returned, client_for
):
    client = client_for(users[role])
    interview = returned.return_interview
    url = f"/episodes/{returned.public_id}/interview/"
    response = client.post(url, _form(interview, health_assessment_offered="false"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_health_assessment_not_offered_reason"' in page
    assert "Enter why the health assessment has not been offered" in page
    assert "Stayed with a friend" in page  # what was typed is kept
    interview.refresh_from_db()
    returned.refresh_from_db()
    assert interview.completed_at is None
    assert returned.health_assessment_offered is None

    response = client.post(
        url,
        _form(
            interview,
            health_assessment_offered="false",
            health_assessment_not_offered_reason="Declined today; to offer again next week",
        ),
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.health_assessment_offered is False
    assert (
        returned.health_assessment_not_offered_reason == "Declined today; to offer again next week"
    )
    assert returned.health_assessment_recorded_by == users[role]
    assert t12().status == "open"
    shown = client.get(url).content.decode()
    assert "Declined today; to offer again next week" in shown  # the form shows the reason

    interview.refresh_from_db()
    client.post(url, _form(interview, health_assessment_offered="true"))
    returned.refresh_from_db()
    assert returned.health_assessment_offered is True
    assert returned.health_assessment_not_offered_reason == ""
    assert t12().status == "done"


def test_the_service_refuses_no_without_a_reason_too(users, returned):
    interview = returned.return_interview
    with pytest.raises(ValidationError) as error:
        services.interview_record(
            actor=users[Role.MISSING_COORDINATOR],
            interview=interview,
            expected_version=interview.version,
            health_assessment_offered=False,
            health_assessment_not_offered_reason="   ",
        )
    assert "health_assessment_not_offered_reason" in error.value.message_dict
    interview.refresh_from_db()
    assert interview.health_assessment_offered is None
