"""The fictional tracker export that docs/going-live.md is tried with."""

import csv

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
