"""PostgreSQL's statistics of the items' status and rule together (migration 0011): without
them the planner took "open" and "a return interview" as independent, expected a hundred
times the items the coordinator's lists hold nationally, and joined every episode and child
by hash to list them (docs/performance.md)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics objects are PostgreSQL's")
def test_the_planner_knows_status_and_rule_together():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind, array(SELECT attname FROM pg_attribute"
            " WHERE attrelid = stxrelid AND attnum = ANY(stxkeys) ORDER BY attname)"
            " FROM pg_statistic_ext WHERE stxname = 'worklist_dueitem_status_rule'"
            " AND stxrelid = 'worklist_dueitem'::regclass"
        )
        found = cursor.fetchall()
    assert len(found) == 1
    kinds, columns = found[0]
    assert sorted(kinds) == ["f", "m"]  # functional dependencies, most common values
    assert columns == ["rule", "status"]
