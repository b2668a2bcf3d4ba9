import datetime

from mace.education import services
from mace.education.models import CMECase, CMEReason
from mace.people.tests.factories import ChildFactory


def school_child(**kwargs):
    values = {"date_of_birth": datetime.date(2013, 3, 14)}
    values.update(kwargs)
    return ChildFactory.create(**values)


def notify(actor, child=None, **kwargs):
    values = {
        "school": "Gorsebrook Primary School",
        "reason": CMEReason.ABSENT_10_DAYS,
        "absent_since": datetime.date(2025, 10, 20),
        "destination": CMECase.Destination.KNOWN,
    }
    values.update(kwargs)
    return services.cme_notify(actor=actor, child=child or school_child(), **values)
