"""Test data for intelligence."""

import datetime

import factory

from mace.intelligence.models import Confidence, Link, Location, PersonOfConcern


class PersonOfConcernFactory(factory.django.DjangoModelFactory[PersonOfConcern]):
    class Meta:
        model = PersonOfConcern

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    age_group = "25_34"


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Test Location {n}")
    kind = Location.Kind.VENUE


class LinkFactory(factory.django.DjangoModelFactory[Link]):
    """A link with no ends: give exactly one pair."""

    class Meta:
        model = Link

    kind = Link.Kind.ASSOCIATE
    source = "Police intelligence report"
    observed_on = factory.LazyFunction(datetime.date.today)
    confidence = Confidence.PROBABLE
