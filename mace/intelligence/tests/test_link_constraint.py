"""A link joins exactly one pair: child-child, child-person, child-location or
person-location (C5). The database refuses anything else, and duplicates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mace.audit.models import AuditEvent
from mace.intelligence.models import Confidence, Link
from mace.intelligence.services import link_create
from mace.intelligence.tests.factories import LinkFactory, LocationFactory, PersonOfConcernFactory
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ends():
    first, second = sorted((ChildFactory.create(), ChildFactory.create()), key=lambda c: c.pk)
    return {
        "child": first,
        "other_child": second,
        "person": PersonOfConcernFactory.create(),
        "location": LocationFactory.create(),
    }


VALID_PAIRS = [
    ("child", "other_child"),
    ("child", "person"),
    ("child", "location"),
    ("person", "location"),
]
MIXED = [
    ("child",),
    ("person",),
    ("location",),
    ("other_child",),
    ("other_child", "person"),
    ("other_child", "location"),
    ("child", "person", "location"),
    ("child", "other_child", "person"),
    ("child", "other_child", "location"),
    ("child", "other_child", "person", "location"),
]


@pytest.mark.parametrize("pair", VALID_PAIRS)
def test_it_stores_each_pair(ends, pair):
    link = LinkFactory.create(**{name: ends[name] for name in pair})
    assert Link.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("pair", MIXED)
def test_the_database_refuses_mixed_pairs(ends, pair):
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkFactory.create(**{name: ends[name] for name in pair})


def test_the_database_refuses_a_child_linked_to_themselves(ends):
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkFactory.create(child=ends["child"], other_child=ends["child"])


@pytest.mark.parametrize("pair", VALID_PAIRS)
def test_the_database_refuses_the_same_pair_and_kind_twice(ends, pair):
    LinkFactory.create(**{name: ends[name] for name in pair})
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkFactory.create(**{name: ends[name] for name in pair})


def test_the_same_pair_may_have_another_kind(ends):
    LinkFactory.create(child=ends["child"], person=ends["person"], kind=Link.Kind.ASSOCIATE)
    LinkFactory.create(child=ends["child"], person=ends["person"], kind=Link.Kind.EXPLOITER)
    assert Link.objects.filter(child=ends["child"]).count() == 2


def _create(actor, **ends):
    return link_create(
        actor=actor,
        kind=Link.Kind.PEER,
        source="Return interview",
        observed_on=datetime.date(2025, 3, 1),
        confidence=Confidence.POSSIBLE,
        **ends,
    )


def test_link_create_refuses_a_duplicate_with_a_clear_error(users, ends):
    actor = users["police_officer"]
    _create(actor, child=ends["child"], other_child=ends["other_child"])
    # The same two children the other way round are the same pair.
    with pytest.raises(ValidationError, match="already recorded"):
        _create(actor, child=ends["other_child"], other_child=ends["child"])
    assert Link.objects.count() == 1


def test_link_create_refuses_a_mixed_pair_with_a_clear_error(users, ends):
    with pytest.raises(ValidationError, match="exactly one pair"):
        _create(
            users["police_officer"],
            child=ends["child"],
            person=ends["person"],
            location=ends["location"],
        )


def test_link_create_stores_children_in_order_and_audits_both(users, ends):
    link = _create(users["police_officer"], child=ends["other_child"], other_child=ends["child"])
    assert (link.child, link.other_child) == (ends["child"], ends["other_child"])
    audited = set(
        AuditEvent.objects.filter(object_id=str(link.public_id)).values_list("child_id", flat=True)
    )
    assert audited == {ends["child"].public_id, ends["other_child"].public_id}
