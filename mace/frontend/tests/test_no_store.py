"""Issue 16 point 9: nothing personal is kept by a browser's or a proxy's cache.

Every response MACE's views give (pages, downloads, the API, error pages, sign-in) carries
`Cache-Control: no-store`; static files, which hold nothing personal, stay cacheable.
"""

import uuid

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from mace.accounts.models import Role
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

ANNUAL = {"start_0": "1", "start_1": "4", "start_2": "2025", "end_0": "31", "end_1": "3"}
ANNUAL["end_2"] = "2026"


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


@pytest.mark.parametrize("role_user", [r.value for r in Role], indirect=True)
def test_personal_pages_are_not_cacheable_home_page_for_every_role(role_user, client_for):
    response = client_for(role_user).get("/")
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.MANAGER, "/children/"),
        (Role.MANAGER, "/worklist/"),
        (Role.MANAGER, "/api-tokens/"),
        (Role.ADMINISTRATOR, "/account/users/"),
        (Role.AUDITOR, "/audit/"),
        (Role.ANALYST, "/reports/"),
    ],
)
def test_personal_pages_are_not_cacheable(users, client_for, role, path):
    response = client_for(users[role]).get(path)
    assert response.status_code == 200
    assert _no_store(response)


def test_personal_pages_are_not_cacheable_a_childs_record(users, client_for):
    child = ChildFactory()
    response = client_for(users[Role.MANAGER]).get(f"/children/{child.public_id}/")
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.parametrize(
    ("path", "query", "magic"),
    [
        ("/reports/dataset/", {"quarter": "2026Q1", "format": "xlsx"}, b"PK"),
        ("/reports/annual/", {**ANNUAL, "format": "pdf"}, b"%PDF"),
    ],
)
def test_personal_pages_are_not_cacheable_downloads(users, client_for, path, query, magic):
    response = client_for(users[Role.MANAGER]).get(path, query)
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert _no_store(response)


def test_personal_pages_are_not_cacheable_api_responses(users):
    _, token = AuthToken.objects.create(user=users[Role.MANAGER])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/children/")
    assert response.status_code == 200
    assert _no_store(response)
    refused = APIClient().get("/api/v1/children/")
    assert refused.status_code == 401
    assert _no_store(refused)


def test_personal_pages_are_not_cacheable_error_pages(users, client_for):
    forbidden = client_for(users[Role.ANALYST]).get("/children/")
    assert forbidden.status_code == 403
    assert _no_store(forbidden)
    missing = client_for(users[Role.MANAGER]).get(f"/children/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert _no_store(missing)


def test_personal_pages_are_not_cacheable_sign_in_page():
    response = Client().get("/account/sign-in/")
    assert response.status_code == 200
    assert _no_store(response)


def test_static_files_stay_cacheable(settings):
    # Serve build/static as under DEBUG, without collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/mace/mace.css")
    assert response.status_code == 200
    assert not _no_store(response)
