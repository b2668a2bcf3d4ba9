"""Refreshing or comparing many children's rows of the reporting table (the scheduled checks
and the import, a batch at a time) turns PostgreSQL's JIT compiling off for the statement,
and a refresh reads by index (`random_page_cost`), and both settings are put back as they
were; the rows are the same either way."""

import pytest
from django.db import connection

from mace.people.tests.factories import ChildFactory
from mace.reports import facts as report_facts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings"),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return str(cursor.fetchone()[0])


def set_to(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@pytest.mark.parametrize(("jit", "page_cost"), [("on", "4"), ("off", "2.5")])
def test_many_childrens_rows_leave_the_planner_settings_as_they_were(jit, page_cost):
    ids = [child.pk for child in ChildFactory.create_batch(report_facts.JIT_OFF_FROM)]
    set_to("jit", jit)
    set_to("random_page_cost", page_cost)
    report_facts.refresh(ids)
    assert (setting("jit"), setting("random_page_cost")) == (jit, page_cost)
    assert report_facts.out_of_step_children(among=ids) == set()
    assert (setting("jit"), setting("random_page_cost")) == (jit, page_cost)
    assert report_facts.differences() == 0


def test_the_settings_hold_within_and_only_within():
    many = report_facts.JIT_OFF_FROM
    set_to("jit", "on")
    set_to("random_page_cost", "4")
    with report_facts._planned(many, report_facts.BY_INDEX):
        assert (setting("jit"), setting("random_page_cost")) == ("off", "1.1")
    with report_facts._planned(many - 1, report_facts.BY_INDEX):  # a few children: as planned
        assert (setting("jit"), setting("random_page_cost")) == ("on", "4")
    with report_facts._planned(many, report_facts.NOT_COMPILED):
        assert (setting("jit"), setting("random_page_cost")) == ("off", "4")
    assert (setting("jit"), setting("random_page_cost")) == ("on", "4")
