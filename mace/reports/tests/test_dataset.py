"""The quarterly Missing and CSE dataset (003 A7): every item it holds data for, against a
known dataset; the items it does not hold say so; restricted ones only when cleared."""

import datetime
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from mace.disruption.models import DisruptionOutcome
from mace.education import services as education
from mace.episodes.models import Episode
from mace.exploitation.tests.helpers import assess
from mace.intelligence.tests.factories import LinkFactory, LocationFactory, PersonOfConcernFactory
from mace.lib.quarters import Quarter
from mace.people.tests.factories import ChildFactory
from mace.reports import dataset, suppression

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
Q1 = Quarter.parse("2026Q1")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=LONDON)


def ep(child, seen, status, kind="missing", returned=None, missing_from="care"):
    return Episode.objects.create(
        child=child,
        kind=kind,
        missing_from=missing_from,
        legal_status=status,
        last_seen_at=seen,
        reported_at=seen,
        returned_at=returned,
    )


def values(data):
    return {item["item"]: item for item in data["items"]}


@pytest.fixture
def known(users, default_instrument):
    cla = ChildFactory.create(gender="female", date_of_birth=datetime.date(2011, 5, 5))
    cla2 = ChildFactory.create(gender="male", date_of_birth=datetime.date(2009, 1, 1))
    home = ChildFactory.create(gender="male", date_of_birth=datetime.date(2012, 2, 2))
    ep(cla, at(2025, 12, 1, 20), "CLA", returned=at(2025, 12, 2, 8))  # the quarter before
    ep(cla, at(2026, 1, 10, 20), "CLA", returned=at(2026, 1, 11, 8))
    ep(cla, at(2026, 2, 10, 20), "CLA", kind="away", returned=at(2026, 2, 10, 23))
    ep(cla2, at(2026, 3, 31, 22), "CLA")  # still missing at the quarter's end
    ep(home, at(2026, 1, 5, 19), "CIN", missing_from="home", returned=at(2026, 1, 6, 9))
    ep(home, at(2026, 2, 5, 19), "CIN", missing_from="home", returned=at(2026, 2, 6, 9))
    ep(home, at(2026, 4, 1, 0, 30), "CIN", missing_from="home")  # the next quarter
    education.cme_notify(
        actor=users["inclusion_officer"],
        child=home,
        school="Ashgrove School",
        reason="absent_10_days",
        absent_since=datetime.date(2026, 2, 2),
        destination="unknown",
    )
    coordinator = users["missing_coordinator"]
    assess(coordinator, cla, yes=["SH3"], assessed_at=at(2025, 11, 1, 10))
    assess(coordinator, cla, no=["SH3"], assessed_at=at(2026, 2, 1, 10))  # ceased
    assess(
        coordinator,
        cla2,
        yes=["SH3"],
        assessed_at=at(2026, 3, 1, 10),
        types_of_exploitation=["online"],
    )
    person = PersonOfConcernFactory.create()
    LinkFactory.create(child=cla2, person=person, observed_on=datetime.date(2026, 3, 2))
    hotspot = LocationFactory.create(is_hotspot=True)
    LinkFactory.create(child=cla2, location=hotspot, observed_on=datetime.date(2026, 3, 2))
    elsewhen = LocationFactory.create(is_hotspot=True)  # seen only after the quarter
    LinkFactory.create(child=cla2, location=elsewhen, observed_on=datetime.date(2026, 4, 2))
    for kind, on, named in [
        ("cawn", datetime.date(2026, 1, 20), False),
        ("cawn", datetime.date(2026, 2, 20), True),
        ("sro", datetime.date(2026, 4, 2), False),
    ]:
        DisruptionOutcome.objects.create(
            kind=kind,
            occurred_on=on,
            agency=users["police_officer"].agency,
            child=cla2,
            person=person if named else None,
            recorded_by=coordinator,
        )
    return {"cla": cla, "cla2": cla2, "home": home}


def test_every_item_it_holds_against_a_known_dataset(known):
    got = values(dataset.build(Q1, cleared=True))
    assert got["Incidences of looked after children missing from their placement"]["value"] == 2
    away = got["Incidences of looked after children away from placement without authorisation"]
    assert away["value"] == 1
    assert away["breakdown"] == {"by_age": {"13-15": 1}, "by_gender": {"female": 1}}
    assert got["Looked after children currently missing from placement"]["value"] == 1
    assert got["Number of missing episodes from home"]["value"] == 2
    assert got["Number of children missing from home"]["value"] == 1
    persistent = "Persistent absence (looked after children also missing the quarter before)"
    assert got[persistent]["value"] == 1
    cme = got["Number of children missing from education about whom the LA is concerned"]
    assert cme["value"] == 1
    assert cme["lead_agency"] == "Inclusion"
    cse = got["Children (a) vulnerable to, (b) at risk of, (c) exposed to CSE"]
    assert cse["value"] == 1  # the second child; the first has ceased
    assert sum(cse["breakdown"].values()) == 1
    assert got["Category or type of CSE"]["breakdown"] == {"online": 1}
    assert got["Indicators of risk"]["breakdown"] == {"SH3": 1}
    assert got["Demographics of children and young people"]["value"] == 2
    assert got["Geographical locations and hotspots where CSE took place"]["value"] == 1
    assert got["Number of known people of concern"]["value"] == 1
    assert got["Number of child abduction warning notices issued"]["value"] == 2
    assert got["Number of sexual risk orders issued"]["value"] == 0  # it fell in April
    assert got["Children who cease to be exposed to CSE as a result of intervention"]["value"] == 1
    assert got["Re-referrals of CSE"]["value"] == 0
    assert got["CSE training activities and attendance"]["held"] is False


def test_restricted_items_are_withheld_from_those_not_cleared(known):
    got = values(dataset.build(Q1, cleared=False))
    for item in (
        "Number of known people of concern",
        "Geographical locations and hotspots where CSE took place",
    ):
        assert got[item]["value"] is None
        assert "Restricted" in got[item]["note"]
    cawn = got["Number of child abduction warning notices issued"]
    assert cawn["value"] == 1  # the one naming a person of concern is not counted
    assert "restricted" in cawn["note"]


def test_the_command_line_and_publication(known, tmp_path, settings):
    out = tmp_path / "dataset.csv"
    call_command(
        "report",
        "dataset",
        "--quarter",
        "2026Q1",
        "--format",
        "csv",
        "--out",
        str(out),
        "--publish",
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "Incidences of looked after children missing from their placement,CSC,,<5" in text
    assert "Number of known people of concern" in text
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")):
        target = tmp_path / f"dataset.{fmt}"
        call_command(
            "report", "dataset", "--quarter", "2026Q1", "--format", fmt, "--out", str(target)
        )
        assert target.read_bytes().startswith(magic)
    published = suppression.dataset_published(dataset.build(Q1, cleared=False))
    assert values(published)["Number of missing episodes from home"]["value"] is None
    with pytest.raises(CommandError, match="2026Q3"):
        call_command("report", "dataset", "--quarter", "2026-Q1")
