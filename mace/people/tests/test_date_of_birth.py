"""A child's date of birth is today or in the past (issue 19 point 10): refused on every way
in (the record itself, the services, the create and edit pages, education's form and the
API), with the same message, and nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Role
from mace.api.tests.helpers import api_client
from mace.education.forms import ChildDetailsForm
from mace.people import services
from mace.people.models import DATE_OF_BIRTH_IN_FUTURE, Child
from mace.people.tests.factories import ChildFactory

MESSAGE = "Date of birth must be today or in the past"
pytestmark = pytest.mark.django_db


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def date_parts(day: datetime.date) -> dict[str, object]:
    return {"date_of_birth_0": day.day, "date_of_birth_1": day.month, "date_of_birth_2": day.year}


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


def test_the_message_says_what_to_fix():
    assert DATE_OF_BIRTH_IN_FUTURE == MESSAGE


def test_the_record_refuses_a_future_date_of_birth_and_takes_today():
    child = ChildFactory.build(date_of_birth=tomorrow())
    with pytest.raises(ValidationError) as refused:
        child.clean()
    assert refused.value.message_dict == {"date_of_birth": [MESSAGE]}
    child.date_of_birth = timezone.localdate()
    child.clean()


def test_the_create_service_refuses_a_future_date_of_birth(worker, team):
    with pytest.raises(ValidationError) as refused:
        services.child_create(
            actor=worker,
            first_name="Riley",
            last_name="Marsh",
            date_of_birth=tomorrow(),
            gender="female",
        )
    assert refused.value.message_dict["date_of_birth"] == [MESSAGE]
    assert Child.objects.count() == 0


def test_the_update_service_refuses_a_future_date_of_birth(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team)
    born = child.date_of_birth
    with pytest.raises(ValidationError):
        services.child_update(
            actor=worker, child=child, expected_version=child.version, date_of_birth=tomorrow()
        )
    child.refresh_from_db()
    assert (child.date_of_birth, child.version) == (born, 1)


def test_the_create_page_refuses_a_future_date_of_birth_and_keeps_what_was_typed(
    worker, client_for
):
    form = {
        "first_name": "Sam",
        "last_name": "Okoro",
        "gender": "male",
        "ethnicity": "NOBT",
        "legal_status": "NONE",
        **date_parts(tomorrow()),
    }
    response = client_for(worker).post("/children/new/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count(MESSAGE) == 2  # the summary and the field
    assert 'href="#id_date_of_birth_0"' in page
    assert 'value="Okoro"' in page
    assert Child.objects.count() == 0


def test_the_edit_page_refuses_a_future_date_of_birth(worker, team, client_for):
    child = ChildFactory(allocated_worker=worker, team=team)
    form = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "version": child.version,
        **date_parts(tomorrow()),
    }
    response = client_for(worker).post(f"/children/{child.public_id}/edit/", form)
    assert MESSAGE in response.content.decode()
    child.refresh_from_db()
    assert child.version == 1


def test_educations_form_refuses_a_future_date_of_birth():
    form = ChildDetailsForm(
        {"first_name": "Ada", "last_name": "Mensah", "gender": "female", **date_parts(tomorrow())}
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [MESSAGE]


def test_the_api_refuses_a_future_date_of_birth_on_create_and_change(users, team):
    client = api_client(users[Role.MISSING_COORDINATOR])
    made = client.post(
        "/api/v1/children/",
        {
            "first_name": "Tamsin",
            "last_name": "Oxenbould",
            "date_of_birth": tomorrow().isoformat(),
            "gender": "female",
        },
        format="json",
    )
    assert made.status_code == 400
    assert made.json()["error"]["fields"]["date_of_birth"] == [MESSAGE]
    assert Child.objects.count() == 0

    child = ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)
    changed = api_client(users[Role.SOCIAL_WORKER]).patch(
        f"/api/v1/children/{child.public_id}/",
        {"date_of_birth": tomorrow().isoformat(), "version": child.version},
        format="json",
    )
    assert changed.status_code == 400
    assert changed.json()["error"]["fields"]["date_of_birth"] == [MESSAGE]
    child.refresh_from_db()
    assert child.version == 1
