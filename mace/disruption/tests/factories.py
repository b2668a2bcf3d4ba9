"""Test data for disruption plans and outcomes."""

import datetime

import factory

from mace.disruption.models import DisruptionOutcome, InterventionOption


def library_option(aim_number: int = 2, option_number: int = 1) -> InterventionOption:
    """An option of the shipped A3 library, by the positions of its aim and itself."""
    return InterventionOption.objects.select_related("aim").get(
        aim__order=aim_number, order=option_number
    )


class DisruptionOutcomeFactory(factory.django.DjangoModelFactory[DisruptionOutcome]):
    class Meta:
        model = DisruptionOutcome

    kind = DisruptionOutcome.Kind.ABDUCTION_WARNING
    occurred_on = factory.LazyFunction(datetime.date.today)
