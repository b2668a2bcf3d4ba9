"""Security headers, CSRF on every form, and no personal data in error pages or logs
(issue 8)."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from mace.conftest import sign_in
from mace.lib.logging import WithoutExceptionMessages
from mace.people.models import Child
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2]


def test_pages_carry_a_content_security_policy_whose_nonce_every_inline_script_has(
    users, client_for
):
    response = client_for(users["missing_coordinator"]).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in inline)
    # A new nonce for every response.
    again = client_for(users["missing_coordinator"]).get("/")["Content-Security-Policy"]
    assert again != policy


def test_the_other_security_headers(users, client_for):
    response = client_for(users["manager"]).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_form_that_posts_carries_a_csrf_token():
    missing = []
    for template in TEMPLATES.glob("*/templates/**/*.html"):
        text = template.read_text()
        for form in re.findall(r"<form[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r'method="post"', form, flags=re.I) and "{% csrf_token %}" not in form:
                missing.append(str(template.relative_to(TEMPLATES)))
    assert missing == []


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(users):
    client = sign_in(Client(enforce_csrf_checks=True), users["missing_coordinator"])
    before = Child.objects.count()
    response = client.post(
        "/children/new/", {"first_name": "Wilhelmina", "last_name": "Scarrott-Dunn"}
    )
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()  # the CSRF page, not a role refusal
    assert Child.objects.count() == before


def _failing_view(request: HttpRequest) -> HttpResponse:
    child = Child.objects.get(last_name="Fenwick-Albery")
    raise ValueError(f"could not save {child.full_name} born {child.date_of_birth}")


urlpatterns = [path("fails/", _failing_view), path("", include("mace.urls"))]


@pytest.fixture
def log_output():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(WithoutExceptionMessages("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield out
    logger.removeHandler(handler)


@pytest.mark.urls("mace.frontend.tests.test_security")
def test_a_server_error_shows_and_logs_no_personal_data(settings, users, log_output):
    settings.DEBUG = False
    ChildFactory.create(first_name="Araminta", last_name="Fenwick-Albery")
    client = sign_in(Client(raise_request_exception=False), users["missing_coordinator"])

    response = client.get("/fails/")

    assert response.status_code == 500
    logged = log_output.getvalue()
    assert "ValueError" in logged  # the log still says what and where
    assert "_failing_view" in logged
    for text in ("Araminta", "Fenwick-Albery"):
        assert text not in response.content.decode()
        assert text not in logged


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_govuk_scripts_run_under_the_policy(page, live_server, users):
    """The nonce lets the GOV.UK initialisation run; the page fixture fails on any refusal."""
    from mace.frontend.tests.browser import sign_in as browser_sign_in

    browser_sign_in(page, live_server.url, users["missing_coordinator"])
    body_class = page.evaluate("document.body.className")
    assert "js-enabled" in body_class
    assert "govuk-frontend-supported" in body_class
    page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), "
        "{textContent: 'window.injected = true'}))"
    )
    assert page.evaluate("window.injected === undefined")
    assert len(page.csp_refusals) == 1  # the injected script, and only it, was refused
    page.csp_refusals.clear()
