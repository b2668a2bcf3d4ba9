"""Reports migration 0002 gives the rows already held what the reporting table's query now
gives them (the new columns of issue 20), and builds the whole table when a database that
migrated from before 0001 has none: after it, `report facts --check` finds nothing out of
step."""

import importlib

import pytest
from django.apps import apps

from mace.reports import facts
from mace.reports.models import EpisodeFact

from .test_annual_issue20 import missing  # noqa: F401

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "mace.reports.migrations.0002_facts_placements_association_completed_72h"
)


def test_the_new_columns_of_the_rows_held_are_filled_from_the_records(missing):  # noqa: F811
    # As the rows stood before the migration: its columns at their defaults.
    EpisodeFact.objects.update(placing_authority="", host_authority="", with_other_children=False)
    EpisodeFact.objects.update(rhi_completed_within_72h=False)
    assert facts.differences() > 0

    migration.fill_new_columns(apps, None)

    assert facts.differences() == 0
    assert EpisodeFact.objects.filter(with_other_children=True).exists()
    assert EpisodeFact.objects.filter(rhi_completed_within_72h=True).exists()
    assert EpisodeFact.objects.exclude(placing_authority="").exists()


def test_a_database_with_episodes_and_no_rows_gets_every_row(missing):  # noqa: F811
    held = EpisodeFact.objects.count()
    EpisodeFact.objects.all().delete()

    migration.fill_new_columns(apps, None)

    assert EpisodeFact.objects.count() == held > 0
    assert facts.differences() == 0
