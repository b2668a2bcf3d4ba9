"""Only administrators create and manage accounts; new users change their password (C11)."""

import pytest
from django.test import Client

from mace.accounts.models import Role, User
from mace.audit.models import AuditEvent


@pytest.mark.django_db
def test_administrator_creates_a_user_who_must_change_password_and_set_up_two_factor(
    users, agency, client_for
):
    admin = client_for(users[Role.ADMINISTRATOR])
    response = admin.post(
        "/account/users/new/",
        {
            "username": "new.worker",
            "first_name": "Robin",
            "last_name": "Hale",
            "email": "robin.hale@example.org",
            "role": Role.SOCIAL_WORKER,
            "agency": agency.pk,
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    created = User.objects.get(username="new.worker")
    assert created.must_change_password
    assert AuditEvent.objects.filter(action="create", object_id=str(created.public_id)).exists()

    newcomer = Client()
    signed = newcomer.post("/account/sign-in/", {"username": "new.worker", "password": password})
    assert signed["Location"] == "/account/two-factor/set-up/"


@pytest.mark.django_db
def test_invalid_user_form_explains_and_creates_nothing(users, client_for):
    admin = client_for(users[Role.ADMINISTRATOR])
    before = User.objects.count()
    response = admin.post("/account/users/new/", {"username": "x", "role": "wizard"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.django_db
def test_temporary_password_must_be_changed_before_anything_else(users, client_for):
    worker = users[Role.SOCIAL_WORKER]
    worker.must_change_password = True
    worker.save()
    client = client_for(worker)
    assert client.get("/children/")["Location"] == "/account/password/"


@pytest.mark.django_db
def test_administrator_deactivates_an_account(users, client_for):
    admin = client_for(users[Role.ADMINISTRATOR])
    target = users[Role.PANEL_MEMBER]
    admin.post(f"/account/users/{target.public_id}/deactivate/")
    target.refresh_from_db()
    assert not target.is_active


@pytest.mark.django_db
def test_administrator_adds_an_agency_and_a_team(users, client_for):
    from mace.accounts.models import Agency

    admin = client_for(users[Role.ADMINISTRATOR])
    response = admin.post(
        "/account/agencies/new/",
        {"name": "Riverside Youth Offending Team", "kind": "youth", "is_active": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Riverside Youth Offending Team")
    admin.post(f"/account/agencies/{agency.public_id}/teams/new/", {"name": "Prevention"})
    again = admin.post(f"/account/agencies/{agency.public_id}/teams/new/", {"name": "Prevention"})
    assert "already has a team with that name" in again.content.decode()
    assert list(agency.teams.values_list("name", flat=True)) == ["Prevention"]
    assert AuditEvent.objects.filter(object_type="accounts.agency", action="create").exists()
