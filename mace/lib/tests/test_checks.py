"""`lib.checks.check_values`: Django's checks of each value, with no query (relations are the
database's to check), for the fields named or all but those excluded."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.episodes.models import Episode
from mace.lib.checks import check_values
from mace.people.models import Child

pytestmark = pytest.mark.django_db


def an_episode(**values) -> Episode:
    seen = timezone.now() - datetime.timedelta(days=2)
    fields = {
        "child": Child(pk=987654),  # not held: checking it would be a query, and refuse it
        "kind": "missing",
        "missing_from": "home",
        "legal_status": "CIN",
        "last_seen_at": seen,
        "reported_at": seen,
    }
    fields.update(values)
    return Episode(**fields)


def refusals(check) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        check()
    return refused.value.message_dict


def test_each_value_is_checked_as_clean_fields_checks_it_with_no_query(
    django_assert_num_queries,
):
    bad = an_episode(kind="sideways", police_reference="P" * 51, missing_from="")
    relations = [f.name for f in Episode._meta.concrete_fields if f.is_relation]

    with django_assert_num_queries(0):
        found = refusals(lambda: check_values(bad))
        check_values(an_episode())  # a good one passes

    assert found == refusals(lambda: bad.clean_fields(exclude=relations))
    assert set(found) == {"kind", "police_reference", "missing_from"}


def test_only_the_fields_named_or_all_but_those_excluded():
    bad = an_episode(kind="sideways", police_reference="P" * 51)

    assert set(refusals(lambda: check_values(bad, only=["kind"]))) == {"kind"}
    assert set(refusals(lambda: check_values(bad, exclude=["kind"]))) == {"police_reference"}
    check_values(bad, only=["missing_from", "last_seen_at"])  # those are good
