"""Issue 19 point 5, no field shown to a user who may not fill it: the police risk grade
on the report-missing form is offered only to those who grade police risk
(policy.can_grade_police_risk), and the service refuses a grade from anyone else. Role by
role, both ways."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes import services
from mace.episodes.models import Episode
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

GRADE = [Role.POLICE_OFFICER, Role.MISSING_COORDINATOR]
REPORT_BUT_NOT_GRADE = [Role.SOCIAL_WORKER, Role.MANAGER]


@pytest.fixture
def child(users, team):
    return ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)


def report(actor, child, **extra):
    return services.episode_report(
        actor=actor,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - datetime.timedelta(hours=2),
        **extra,
    )


@pytest.mark.parametrize("role", GRADE)
def test_those_who_grade_police_risk_are_offered_the_grade_and_may_give_it(
    role, users, child, client_for
):
    page = client_for(users[role]).get(f"/children/{child.public_id}/report-missing/")

    assert "Police risk grade" in page.content.decode()
    assert report(users[role], child, risk_grade="medium").risk_gradings.get().grade == "medium"


@pytest.mark.parametrize("role", REPORT_BUT_NOT_GRADE)
def test_others_who_report_are_not_offered_the_grade_and_may_not_give_it(
    role, users, child, client_for
):
    client = client_for(users[role])
    url = f"/children/{child.public_id}/report-missing/"

    assert "Police risk grade" not in client.get(url).content.decode()
    with pytest.raises(PermissionDenied):
        report(users[role], child, risk_grade="medium")
    assert not Episode.objects.filter(child=child).exists()
    # Their report, without a grade, is taken; a grade sent anyway is not a field of theirs.
    last_seen = timezone.localtime() - datetime.timedelta(hours=2)
    response = client.post(
        url,
        {
            "kind": "missing",
            "missing_from": "home",
            "last_seen_at": last_seen.strftime("%d/%m/%Y %H:%M"),
            "risk_grade": "low",
        },
    )
    assert response.status_code == 302
    assert not Episode.objects.get(child=child).risk_gradings.exists()
