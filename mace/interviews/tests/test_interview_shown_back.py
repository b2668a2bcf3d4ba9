"""The return home interview shown back (issue 19 point 3): it cannot be dated before the
child was found or returned, and everything recorded on the A4 form is on the episode page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.interviews import services

pytestmark = pytest.mark.django_db


def _form(interview, held: datetime.datetime, **answers):
    return {
        "completed_at": timezone.localtime(held).strftime("%d/%m/%Y %H:%M"),
        "childs_account": "Stayed with a friend; felt safe there",
        "version": interview.version,
        **answers,
    }


def test_an_interview_dated_before_the_child_was_found_is_refused_by_the_form(
    users, returned, client_for
):
    interview = returned.return_interview
    found = timezone.localtime(returned.returned_at)
    url = f"/episodes/{returned.public_id}/interview/"
    client = client_for(users[Role.MISSING_COORDINATOR])
    response = client.post(url, _form(interview, found - datetime.timedelta(hours=2)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_completed_at"' in page
    assert "The date and time the interview was held must be" in page
    assert found.strftime("%H:%M") in page  # the message says when the child was found
    assert "Stayed with a friend" in page  # what was typed is kept
    interview.refresh_from_db()
    assert interview.completed_at is None

    same_minute = returned.returned_at.replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1
    )
    response = client.post(url, _form(interview, same_minute))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.completed_at is not None


def test_the_service_refuses_an_interview_before_the_child_was_found(users, returned):
    interview = returned.return_interview
    with pytest.raises(ValidationError) as error:
        services.interview_record(
            actor=users[Role.MISSING_COORDINATOR],
            interview=interview,
            expected_version=interview.version,
            completed_at=returned.returned_at - datetime.timedelta(minutes=1),
            childs_account="Too early",
        )
    assert "completed_at" in error.value.error_dict
    interview.refresh_from_db()
    assert interview.completed_at is None


A4 = {
    "parents_views": "Carer worried about older friends collecting her",
    "interviewer_analysis": "Push factor at home; plan a family group conference",
    "harboured_where_by_whom": "A flat above the takeaway on Mill Lane, by an adult male",
    "information_to_find_next_time": "Goes to the skate park near the station",
    "referrals_made": "Young people's substance misuse service",
    "victim_of_crime": "true",
    "perpetrator_of_crime": "false",
    "harmed": "false",
    "safe_while_missing": "3",
    "happy_since": "7",
    "health_assessment_offered": "true",
    "sexual_health_referral": "true",
}


def test_everything_on_the_a4_form_is_shown_on_the_episode(users, returned, client_for):
    interview = returned.return_interview
    client = client_for(users[Role.MISSING_COORDINATOR])
    held = returned.returned_at + datetime.timedelta(hours=26)
    response = client.post(
        f"/episodes/{returned.public_id}/interview/", _form(interview, held, **A4)
    )
    assert response.status_code == 302
    page = client.get(f"/episodes/{returned.public_id}/").content.decode()
    section = page[page.index('data-testid="return-interview"') :]
    section = section[: section.index("</dl>")]
    for key in (
        "parents_views",
        "interviewer_analysis",
        "harboured_where_by_whom",
        "information_to_find_next_time",
        "referrals_made",
    ):
        assert A4[key].replace("'", "&#x27;") in section, key
    for question, answer in (
        ("Were they a victim of crime?", "Yes"),
        ("Did they commit a crime while missing?", "No"),
        ("Were they harmed?", "No"),
        ("Referred to the sexual health advisor?", "Yes"),
    ):
        row = section[section.index(question) :]
        assert row[row.index('value">') + 7 :].startswith(answer), question
    assert "while missing 3" in section
    assert "since returning 7" in section
    assert "govuk-summary-list" in page
