"""A child newly linked to a person of concern or a hotspot is flagged (C5) to the
allocated worker and every cleared missing coordinator; those not cleared learn only that
a link was recorded."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.intelligence.models import Confidence, Link
from mace.intelligence.services import link_create
from mace.intelligence.tests.factories import LocationFactory, PersonOfConcernFactory
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import Notification

pytestmark = pytest.mark.django_db


def _link(actor, **ends):
    return link_create(
        actor=actor,
        kind=Link.Kind.EXPLOITER,
        source="Police intelligence log 7731",
        observed_on=datetime.date(2025, 6, 2),
        confidence=Confidence.PROBABLE,
        **ends,
    )


@pytest.fixture
def coordinators(agency):
    return {
        "cleared": UserFactory.create(
            role=Role.MISSING_COORDINATOR, agency=agency, intelligence_cleared=True
        ),
        "uncleared": UserFactory.create(
            role=Role.MISSING_COORDINATOR, agency=agency, intelligence_cleared=False
        ),
        "inactive": UserFactory.create(
            role=Role.MISSING_COORDINATOR,
            agency=agency,
            intelligence_cleared=True,
            is_active=False,
        ),
    }


def test_an_uncleared_worker_hears_only_that_a_link_exists(users, coordinators):
    worker = users["social_worker"]
    child = ChildFactory.create(allocated_worker=worker)
    person = PersonOfConcernFactory.create(first_name="Dean", last_name="Marsh")

    _link(users["police_officer"], child=child, person=person)

    [told] = Notification.objects.filter(user=worker)
    assert told.title == f"A new intelligence link was recorded for {child.reference}"
    assert told.body == ""
    assert "Marsh" not in told.title


def test_cleared_coordinators_and_a_cleared_worker_get_the_full_text(users, coordinators):
    worker = UserFactory.create(
        role=Role.SOCIAL_WORKER, agency=users["social_worker"].agency, intelligence_cleared=True
    )
    child = ChildFactory.create(allocated_worker=worker)
    person = PersonOfConcernFactory.create(first_name="Dean", last_name="Marsh")

    _link(users["police_officer"], child=child, person=person)

    for user in (worker, coordinators["cleared"], users["missing_coordinator"]):
        [told] = Notification.objects.filter(user=user)
        assert "Dean Marsh" in told.title
        assert "Police intelligence log 7731" in told.body
    # Uncleared or inactive coordinators are not on the list at all.
    assert not Notification.objects.filter(user=coordinators["uncleared"]).exists()
    assert not Notification.objects.filter(user=coordinators["inactive"]).exists()


def test_a_hotspot_link_is_an_alert_and_an_ordinary_place_is_not(users):
    worker = users["social_worker"]
    child = ChildFactory.create(allocated_worker=worker)
    hotspot = LocationFactory.create(name="Chicken shop, High Road", is_hotspot=True)
    ordinary = LocationFactory.create(name="Library", is_hotspot=False)

    _link(users["police_officer"], child=child, location=ordinary)
    assert not Notification.objects.filter(kind="intelligence_link").exists()

    _link(users["police_officer"], child=child, location=hotspot)
    [coordinator_told] = Notification.objects.filter(user=users["missing_coordinator"])
    assert "Chicken shop" in coordinator_told.title
    [worker_told] = Notification.objects.filter(user=worker)
    assert "Chicken shop" not in worker_told.title


def test_a_link_between_children_is_not_an_intelligence_alert(users):
    worker = users["social_worker"]
    first = ChildFactory.create(allocated_worker=worker)
    second = ChildFactory.create(allocated_worker=worker)

    _link(users["police_officer"], child=first, other_child=second)

    assert not Notification.objects.filter(kind="intelligence_link").exists()
