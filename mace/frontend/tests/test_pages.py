"""The GOV.UK base: navigation by role and error pages that reveal nothing."""

import pytest
from django.template.loader import render_to_string

from mace.accounts.models import Role

NAV_BY_ROLE = {
    Role.POLICE_OFFICER: ["Home", "Worklist", "Children", "Intelligence", "Panels"],
    Role.SOCIAL_WORKER: ["Home", "Worklist", "Children"],
    Role.MISSING_COORDINATOR: [
        "Home",
        "Worklist",
        "Children",
        "Intelligence",
        "Panels",
        "Education",
        "Reports",
    ],
    Role.RHI_WORKER: ["Home", "Worklist", "Children"],
    Role.INCLUSION_OFFICER: ["Home", "Worklist", "Children", "Education"],
    Role.MANAGER: [
        "Home",
        "Worklist",
        "Children",
        "Intelligence",
        "Panels",
        "Education",
        "Reports",
        "Audit log",
        "Retention",
    ],
    Role.PANEL_MEMBER: ["Home", "Worklist", "Children"],
    Role.ANALYST: ["Home", "Reports"],
    Role.AUDITOR: ["Home", "Audit log"],
    Role.ADMINISTRATOR: ["Home", "Panels", "Users", "Settings"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_only_what_the_role_may_use(role, users, client_for):
    response = client_for(users[role]).get("/")
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == NAV_BY_ROLE[role]


@pytest.mark.django_db
def test_no_navigation_before_two_factor(users, client):
    client.force_login(users[Role.MANAGER])
    response = client.get("/account/two-factor/", follow=True)
    assert response.context["nav_items"] == []


@pytest.mark.django_db
def test_unknown_page_is_a_gov_uk_404(users, client_for):
    response = client_for(users[Role.MANAGER]).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_403_page_says_so_without_details(users, client_for):
    response = client_for(users[Role.ANALYST]).get("/children/")
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_500_page_renders_without_any_context():
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_failed_csrf_check_explains_that_nothing_was_saved():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/account/sign-in/", {"username": "someone", "password": "whatever"}
    )
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
