"""The fictional tracker export that docs/going-live.md is tried with."""

import csv
import datetime

import pytest
from django.core.management import call_command

from mace.demo.tracker import write_tracker_export
from mace.episodes.models import Episode
from mace.people.models import Child


def _rows(path):
    with path.open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def test_the_same_seed_writes_the_same_files(tmp_path):
    first = write_tracker_export(tmp_path / "a", years=2, children=12, seed=7)
    second = write_tracker_export(tmp_path / "b", years=2, children=12, seed=7)
    assert first.children.read_bytes() == second.children.read_bytes()
    assert first.episodes.read_bytes() == second.episodes.read_bytes()


def test_the_export_holds_what_the_first_week_meets(tmp_path):
    export = write_tracker_export(tmp_path, years=4, children=30, seed=3)
    children = _rows(export.children)
    episodes = _rows(export.episodes)
    assert len(children) == export.child_rows == 32
    assert len(episodes) == export.episode_rows
    assert sum(row["legal_status"] == "CLA" for row in episodes) == export.looked_after_episodes
    assert export.looked_after_episodes > 0
    assert sum(row["returned_at"] == "" for row in episodes) == export.still_missing == 1
    assert sum(row["rhi_outcome"] != "" for row in episodes) == export.interview_rows
    years = {row["last_seen_at"][:4] for row in episodes}
    assert len(years) >= 3
    by_birth = {}
    for row in children:
        by_birth.setdefault((row["date_of_birth"], row["last_name"]), []).append(row)
    twins = [rows for rows in by_birth.values() if len(rows) > 1]
    assert len(twins) == export.near_duplicates == 2
    for original, twin in twins:
        assert original["child_ref"] != twin["child_ref"]
        assert original["first_name"] != twin["first_name"]


@pytest.mark.parametrize("seed", range(20))
def test_a_misspelt_twin_keeps_the_first_letter_so_the_duplicate_rule_can_match_it(tmp_path, seed):
    export = write_tracker_export(tmp_path, years=2, children=6, seed=seed)
    children = _rows(export.children)
    for original, twin in zip(children[1:3], children[-2:], strict=True):
        assert twin["first_name"][0] == original["first_name"][0]
        assert twin["first_name"] != original["first_name"]


def test_every_collection_year_of_the_export_has_looked_after_episodes(tmp_path):
    """The SSDA903 year of docs/going-live.md (the last ended 31 March) has rows to return."""
    now = datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)
    export = write_tracker_export(tmp_path, years=4, children=60, seed=2026, now=now)
    episodes = _rows(export.episodes)
    for year in (2023, 2024, 2025, 2026):
        first, last = f"{year - 1}-04-01", f"{year}-03-31T23:59"
        assert any(
            first <= row["last_seen_at"] <= last and row["legal_status"] == "CLA"
            for row in episodes
        ), year


@pytest.mark.django_db
def test_every_row_of_the_export_is_accepted_by_the_import(tmp_path):
    export = write_tracker_export(tmp_path, years=3, children=15, seed=11)
    call_command(
        "import_tracker",
        "--children",
        str(export.children),
        "--episodes",
        str(export.episodes),
        "--quiet",
    )
    assert not (tmp_path / "episodes.rejects.csv").exists()
    assert not (tmp_path / "children.rejects.csv").exists()
    assert Child.objects.count() == export.child_rows
    assert Episode.objects.count() == export.episode_rows
