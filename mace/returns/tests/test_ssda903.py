"""The SSDA903 export: the tables against a known dataset, and the DfE's own validator
(csc-validator-be-903, in .venv-903) run on the export of the demonstration data, with no
error from the rules that concern Missing (issue 7)."""

import csv
import datetime
import json
import subprocess
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mace.episodes.models import Episode
from mace.people.models import ChildIdentifier, LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.reports import annual
from mace.returns import ssda903

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
LONDON = zoneinfo.ZoneInfo("Europe/London")
MISSING_RULES = [
    "1004",
    "1005",
    "1006",
    "564",
    "565",
    "566",
    "567",
    "570",
    "571",
    "574",
    "578",
    "581",
    "586",
    "1012",
    "INT04",
    "INT13",
]


def read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def validate(folder: Path, year: int) -> dict:
    done = subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv-903/bin/python"),
            str(ROOT / "tools/validator903/run.py"),
            str(folder),
            str(year),
            *MISSING_RULES,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def looked_after(child, start, end=None):
    LegalStatus.objects.create(child=child, status="CLA", start_date=start, end_date=end)


def episode(child, seen, returned=None, kind="missing", status="CLA"):
    return Episode.objects.create(
        child=child,
        kind=kind,
        missing_from="care",
        legal_status=status,
        last_seen_at=seen,
        reported_at=seen,
        returned_at=returned,
    )


def test_the_tables_for_a_known_dataset(tmp_path):
    cared_for = ChildFactory.create(
        gender="female", date_of_birth=datetime.date(2011, 2, 3), ethnicity="WBRI"
    )
    ChildIdentifier.objects.create(child=cared_for, kind="upn", value="A123456789012")
    looked_after(cared_for, datetime.date(2024, 6, 1), datetime.date(2026, 1, 31))
    at_home = ChildFactory.create(gender="male", date_of_birth=datetime.date(2010, 5, 5))
    episode(at_home, datetime.datetime(2025, 6, 1, 22, tzinfo=LONDON), status="NONE")
    # Last seen 23:30 BST on 31 March 2025: the year before (22:30 UTC would say so too).
    episode(
        cared_for,
        datetime.datetime(2025, 3, 31, 23, 30, tzinfo=LONDON),
        datetime.datetime(2025, 4, 1, 9, tzinfo=LONDON),
    )
    episode(
        cared_for,
        datetime.datetime(2025, 4, 1, 0, 30, tzinfo=LONDON),
        datetime.datetime(2025, 4, 1, 12, tzinfo=LONDON),
    )
    episode(
        cared_for,
        datetime.datetime(2025, 11, 2, 19, tzinfo=LONDON),
        datetime.datetime(2025, 11, 4, 8, tzinfo=LONDON),
        kind="away",
    )
    # Still missing at the year's end, found after it: MIS_END left blank.
    episode(
        cared_for,
        datetime.datetime(2026, 3, 30, 21, tzinfo=LONDON),
        datetime.datetime(2026, 4, 2, 10, tzinfo=LONDON),
    )

    call_command("export_ssda903", "--year", "2026", "--out", str(tmp_path))

    ref = cared_for.reference
    assert read(tmp_path / "header.csv") == [
        ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        [ref, "2", "03/02/2011", "WBRI", "A123456789012", "", ""],
    ]
    assert read(tmp_path / "episodes.csv")[1][:3] == [ref, "01/06/2024", "S"]
    assert read(tmp_path / "episodes.csv")[1][7] == "31/01/2026"
    assert read(tmp_path / "missing.csv") == [
        ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        [ref, "03/02/2011", "M", "01/04/2025", "01/04/2025"],
        [ref, "03/02/2011", "A", "02/11/2025", "04/11/2025"],
        [ref, "03/02/2011", "M", "30/03/2026", ""],
    ]


def test_bad_arguments_say_what_to_fix(tmp_path):
    with pytest.raises(CommandError, match="give the year it ends"):
        call_command("export_ssda903", "--year", "26", "--out", str(tmp_path))
    afile = tmp_path / "a-file"
    afile.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        call_command("export_ssda903", "--year", "2026", "--out", str(afile))


def test_the_dfe_validator_accepts_the_missing_tables_of_the_demonstration_data(tmp_path):
    call_command("seed_demo", "--seed", "903", "--children", "800", "--years", "2")
    year = (
        datetime.date.today().year
        if datetime.date.today().month > 3
        else (datetime.date.today().year - 1)
    )
    out = tmp_path / "ssda903"
    call_command("export_ssda903", "--year", str(year), "--out", str(out))
    tables = {name: read(out / f"{name}.csv") for name in ("header", "episodes", "missing")}
    assert len(tables["missing"]) > 20  # a real test: there is plenty to check
    for name, rows in tables.items():
        assert rows[0] == ssda903.COLUMNS[name]  # those columns and no others

    result = validate(out, year)

    assert sorted(result["ran"]) == sorted(MISSING_RULES)
    assert result["errors"] == {}

    # And the validator does find errors when there are some: the same export, spoiled.
    rows = tables["missing"]
    rows[1][2], rows[1][3], rows[1][4] = "X", "20/08/2025", "01/08/2025"
    rows.append(["NOT-IN-HEADER", rows[1][1], "M", "01/05/2025", ""])
    with (out / "missing.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    spoiled = validate(out, year)["errors"]
    assert {"1006", "INT04"} <= set(spoiled)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def export(out: Path, year: int = 2026) -> str:
    printed = StringIO()
    call_command("export_ssda903", "--year", str(year), "--out", str(out), stdout=printed)
    return printed.getvalue()


def tracker_episode(ref, child_ref, seen, returned, **values):
    return {
        "episode_ref": ref,
        "child_ref": child_ref,
        "kind": "missing",
        "missing_from": "care",
        "legal_status": "CLA",
        "last_seen_at": seen,
        "returned_at": returned,
        **values,
    }


@pytest.fixture
def imported_tracker(tmp_path):
    """A tracker whose looked-after children's legal status history MACE starts only at the
    import (children.csv's legal_status is the current one), their episodes of 2025-26
    saying CLA at the start."""
    people = [
        ("T-1", "2011-02-01", "CLA"),
        ("T-2", "2010-07-09", "CLA"),
        ("T-3", "2012-01-05", "CIN"),
    ]
    children = write_csv(
        tmp_path / "children.csv",
        [
            {
                "child_ref": ref,
                "first_name": "Sam",
                "last_name": f"Test-{ref}",
                "date_of_birth": born,
                "gender": "female",
                "legal_status": status,
            }
            for ref, born, status in people
        ],
    )
    rows = [
        tracker_episode("POL-1", "T-1", "2025-05-03T21:00", "2025-05-04T09:00"),
        tracker_episode("POL-2", "T-1", "2025-09-10T18:00", "2025-09-12T10:00", kind="away"),
        tracker_episode("POL-3", "T-2", "2025-12-24T23:30", "2025-12-25T11:00"),
        # Found after the year's end: MIS_END blank.
        tracker_episode("POL-4", "T-2", "2026-03-30T20:00", "2026-04-02T10:00"),
        # The year before: not in this return.
        tracker_episode("POL-5", "T-2", "2025-03-01T20:00", "2025-03-02T10:00"),
        # From home, not looked after: not in the return, and nothing to say of it.
        tracker_episode(
            "POL-6",
            "T-3",
            "2025-06-01T20:00",
            "2025-06-02T10:00",
            missing_from="home",
            legal_status="CIN",
        ),
        # From care, but the status at the start says child in need: left out, and said.
        tracker_episode("POL-7", "T-3", "2025-07-01T20:00", "2025-07-02T10:00", legal_status="CIN"),
    ]
    episodes = write_csv(tmp_path / "episodes.csv", rows)
    call_command(
        "import_tracker",
        "--children",
        str(children),
        "--episodes",
        str(episodes),
        "--quiet",
        stdout=StringIO(),
    )
    assert Episode.objects.count() == len(rows)
    return rows


def test_an_imported_trackers_looked_after_episodes_reach_the_missing_table_and_the_validator(
    tmp_path, imported_tracker
):
    """Issue 18 point 3: every episode of the year looked after at its start, with its Header
    row, accepted by the DfE's validator; what is left out is said, with the reason."""
    out = tmp_path / "ssda903"

    printed = export(out)

    t1, t2 = (ChildIdentifier.objects.get(kind="tracker", value=r).child for r in ("T-1", "T-2"))
    assert read(out / "missing.csv") == [
        ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        [t1.reference, "01/02/2011", "M", "03/05/2025", "04/05/2025"],
        [t1.reference, "01/02/2011", "A", "10/09/2025", "12/09/2025"],
        [t2.reference, "09/07/2010", "M", "24/12/2025", "25/12/2025"],
        [t2.reference, "09/07/2010", "M", "30/03/2026", ""],
    ]
    assert sorted(row[0] for row in read(out / "header.csv")[1:]) == sorted(
        [t1.reference, t2.reference]
    )
    # Each Missing row inside a period of care (the DfE's rules 578, 581, 1012): MACE's
    # history of their status starts at the import, so the first episode starts it.
    assert sorted(row[:2] for row in read(out / "episodes.csv")[1:]) == sorted(
        [[t1.reference, "03/05/2025"], [t2.reference, "24/12/2025"]]
    )
    assert "4 missing episodes" in printed
    assert (
        "Missing episodes left out: 1 (missing from care or away from placement, but the "
        "legal status at the start of the episode was not looked after (CLA)" in printed
    )
    assert "Periods of care starting at a looked-after missing episode: 2" in printed
    assert "Test-" not in printed  # counts, no child
    assert t1.reference not in printed

    result = validate(out, 2026)
    assert sorted(result["ran"]) == sorted(MISSING_RULES)
    assert result["errors"] == {}


def test_the_annual_report_and_the_missing_table_count_the_same_looked_after_episodes(
    tmp_path, imported_tracker
):
    """SPEC C1: one fact, the legal status at the start of the episode, read by both."""
    export(tmp_path)
    report = annual.build(annual.Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)))

    assert report["episodes_by_legal_status"]["CLA"] == len(read(tmp_path / "missing.csv")) - 1
    assert report["episodes_by_legal_status"]["CLA"] == 4


def test_child_is_the_identifier_the_setting_names_or_maces_reference_and_says_so(
    tmp_path, settings
):
    settings.SSDA903_CHILD_IDENTIFIER_KIND = "case_record"
    known = ChildFactory.create(date_of_birth=datetime.date(2011, 2, 3))
    ChildIdentifier.objects.create(child=known, kind="case_record", value="LCS-40213")
    unknown = ChildFactory.create(date_of_birth=datetime.date(2012, 3, 4))
    for child in (known, unknown):
        looked_after(child, datetime.date(2024, 6, 1))
        episode(
            child,
            datetime.datetime(2025, 6, 1, 22, tzinfo=LONDON),
            datetime.datetime(2025, 6, 2, 9, tzinfo=LONDON),
        )

    printed = export(tmp_path)

    children = {"LCS-40213", unknown.reference}
    assert {row[0] for row in read(tmp_path / "header.csv")[1:]} == children
    assert {row[0] for row in read(tmp_path / "episodes.csv")[1:]} == children
    assert {row[0] for row in read(tmp_path / "missing.csv")[1:]} == children
    assert "CHILD: the child's Case recording system ID (SSDA903_CHILD_IDENTIFIER_KIND)" in printed
    assert "Children without a Case recording system ID: 1; MACE's reference is their CHILD" in (
        printed
    )
    assert "left out" not in printed

    settings.SSDA903_CHILD_IDENTIFIER_KIND = "lcs"
    with pytest.raises(CommandError, match="set it to one of case_record, tracker"):
        export(tmp_path)


def test_without_the_setting_child_is_maces_reference_and_the_output_says_so(tmp_path):
    child = ChildFactory.create()
    looked_after(child, datetime.date(2024, 6, 1))

    printed = export(tmp_path)

    assert read(tmp_path / "header.csv")[1][0] == child.reference
    assert "CHILD: MACE's reference (set SSDA903_CHILD_IDENTIFIER_KIND" in printed
