"""Refreshing or comparing many children's rows of the reporting table (the scheduled checks
and the import, a batch at a time) turns PostgreSQL's JIT compiling off for the statement
and puts the setting back as it was; the rows are the same either way."""

import pytest
from django.db import connection

from mace.people.tests.factories import ChildFactory
from mace.reports import facts as report_facts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT setting"),
]


def jit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        return str(cursor.fetchone()[0])


@pytest.mark.parametrize("setting", ["on", "off"])
def test_many_childrens_rows_leave_the_jit_setting_as_it_was(setting):
    ids = [child.pk for child in ChildFactory.create_batch(report_facts.JIT_OFF_FROM)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', %s, true)", [setting])
    report_facts.refresh(ids)
    assert jit() == setting
    assert report_facts.out_of_step_children(among=ids) == set()
    assert jit() == setting
    assert report_facts.differences() == 0
