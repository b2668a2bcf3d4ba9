"""Test data for the people register."""

import datetime

import factory
from factory import fuzzy

from mace.people.models import (
    Child,
    ChildAlias,
    Gender,
    Involvement,
    LegalStatus,
    LegalStatusKind,
    LocalAuthority,
    Placement,
)


def _days_ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


class LocalAuthorityFactory(factory.django.DjangoModelFactory[LocalAuthority]):
    class Meta:
        model = LocalAuthority

    name = factory.Sequence(lambda n: f"Test Authority {n}")
    # E98 is not an ONS prefix, so these never clash with the reference list.
    ons_code = factory.Sequence(lambda n: f"E98{n:06d}")


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    # MC-9xxxxx stays clear of the references the service and seed_demo give (MC-000001...).
    reference = factory.Sequence(lambda n: f"MC-9{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=10, maximum_age=17)
    gender = fuzzy.FuzzyChoice([Gender.MALE, Gender.FEMALE])


class ChildAliasFactory(factory.django.DjangoModelFactory[ChildAlias]):
    class Meta:
        model = ChildAlias

    child = factory.SubFactory(ChildFactory)
    name = factory.Faker("first_name", locale="en_GB")


class LegalStatusFactory(factory.django.DjangoModelFactory[LegalStatus]):
    """The child's current (open) status unless end_date is given."""

    class Meta:
        model = LegalStatus

    child = factory.SubFactory(ChildFactory)
    status = LegalStatusKind.CIN
    start_date = factory.LazyFunction(lambda: _days_ago(90))
    end_date = None


class PlacementFactory(factory.django.DjangoModelFactory[Placement]):
    """A current foster placement in the placing authority's own area."""

    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    kind = Placement.Kind.FOSTER_CARE
    address = factory.Faker("street_address", locale="en_GB")
    postcode = factory.Faker("postcode", locale="en_GB")
    placing_authority = factory.SubFactory(LocalAuthorityFactory)
    host_authority = factory.SelfAttribute("placing_authority")
    start_date = factory.LazyFunction(lambda: _days_ago(60))
    end_date = None


class InvolvementFactory(factory.django.DjangoModelFactory[Involvement]):
    """A named professional who does not use MACE, unless a user or agency is given."""

    class Meta:
        model = Involvement

    class Params:
        named_professional = factory.LazyAttribute(lambda o: o.user is None and o.agency is None)

    child = factory.SubFactory(ChildFactory)
    kind = Involvement.Kind.OTHER
    user = None
    agency = None
    name = factory.Maybe(
        "named_professional",
        yes_declaration=factory.Faker("name", locale="en_GB"),
        no_declaration="",
    )
    start_date = factory.LazyFunction(lambda: _days_ago(30))
    end_date = None
