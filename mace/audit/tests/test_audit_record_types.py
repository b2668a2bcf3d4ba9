"""The audit search names the kind of record in words (issue 19 point 10): "Missing
episode", not "episodes.episode"."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.labels import record_type
from mace.episodes import services as episodes
from mace.people import services
from mace.people.models import Gender

NOW = timezone.now()


@pytest.mark.django_db
def test_the_audit_search_shows_record_types_in_words(users, client_for):
    manager = users[Role.MANAGER]
    child = services.child_create(
        actor=manager,
        first_name="Kai",
        last_name="Rowe",
        date_of_birth=datetime.date(2011, 4, 12),
        gender=Gender.MALE,
    )
    episodes.episode_report(
        actor=manager,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=3),
        reported_at=NOW - datetime.timedelta(hours=2),
    )
    page = client_for(users[Role.AUDITOR]).post("/audit/", {"child": child.reference})
    table = page.content.decode().split('data-testid="audit-results"')[1]
    assert '<td class="govuk-table__cell">Missing episode</td>' in table
    assert '<td class="govuk-table__cell">Child&#x27;s record</td>' in table
    assert "episodes.episode" not in table
    assert "people.child" not in table


def test_every_record_type_reads_as_words():
    types = [model._meta.label_lower for model in apps.get_models()]
    types += ["knox.authtoken", "report.annual", "report.dataset", "export.some_thing"]
    for kind in types:
        label = record_type(kind)
        assert "." not in label, kind
        assert "_" not in label, kind
        assert label[:1].isupper(), kind
    assert record_type("episodes.episode") == "Missing episode"
    assert record_type("meetings.strategymeeting") == "Strategy meeting"
    assert record_type("exploitation.assessmentdraft") == "Draft exploitation risk assessment"
    assert record_type("export.some_thing") == "Some thing"
