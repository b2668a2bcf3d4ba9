"""The SSDA903 export: the tables against a known dataset, and the DfE's own validator
(csc-validator-be-903, in .venv-903) run on the export of the demonstration data, with no
error from the rules that concern Missing (issue 7)."""

import csv
import datetime
import json
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mace.episodes.models import Episode
from mace.people.models import ChildIdentifier, LegalStatus
from mace.people.tests.factories import ChildFactory
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
