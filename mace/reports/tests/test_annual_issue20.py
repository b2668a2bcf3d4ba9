"""The figures the seeds publish that MACE could not produce before (issue 20 point 6):
episodes by gender, repeat missing by legal status, missing in association, children placed
by other authorities and out of area, interviews completed within 72 hours; for
exploitation, children by ethnicity, area, where the concern came from, what is known of the
suspects, and each child under every type assessed.

Each expectation is worked out by the test from the data it builds (the `SPEC` lists below),
never copied from a run of the code: a figure the code gets wrong fails."""

import datetime
import io
import re
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from mace.episodes.models import Episode
from mace.exploitation.tests.helpers import assess
from mace.interviews.models import ReturnInterview
from mace.people.models import LocalAuthority
from mace.people.tests.factories import ChildFactory, LocalAuthorityFactory, PlacementFactory
from mace.reports import annual, labels, output, suppression
from mace.worklist.engine import sync_child

from .test_annual import PERIOD, at

pytestmark = pytest.mark.django_db

# Children of the missing figures: key, gender, and where their placement is (None: no
# placement; "placed_here": placed here by another authority; "out_of_area": placed by the
# home authority in another's area; "own": placed by the home authority in its own area).
CHILDREN = [
    ("g1", "female", "placed_here"),
    ("g2", "female", "out_of_area"),
    ("g3", "male", "own"),
    ("g4", "male", None),
    ("g5", "unknown", "placed_here"),
]
# Episodes: child, last seen, legal status at the start, missing from, the other children
# who went missing with them, and how the return interview ended (None: no interview;
# ("completed", hours after the return); ("declined", None)). Every episode lasts 6 hours.
EPISODES: list[tuple[Any, ...]] = [
    ("g1", at(2025, 5, 3, 21), "CLA", "care", ["g2"], ("completed", 70)),
    ("g1", at(2025, 6, 7, 22), "CLA", "care", [], ("completed", 80)),
    ("g1", at(2025, 9, 1, 15), "CIN", "home", [], None),
    ("g2", at(2025, 5, 3, 21), "CLA", "care", ["g1", "g3"], ("completed", 72)),
    ("g3", at(2025, 7, 1, 23), "CLA", "care", [], ("declined", None)),
    ("g3", at(2025, 8, 2, 1), "CLA", "care", ["g4"], None),
    ("g4", at(2025, 8, 2, 1), "CIN", "home", ["g3"], ("completed", 10)),
    ("g4", at(2026, 1, 9, 18), "CP", "home", [], ("completed", 100)),
    ("g5", at(2025, 11, 20, 19), "CLA", "care", [], None),
    # Before the period: counts nowhere, though it is in association and placed here.
    ("g5", at(2025, 3, 1, 19), "CLA", "care", ["g1"], ("completed", 5)),
]
HOURS = datetime.timedelta(hours=6)


def _in_period(seen: datetime.datetime) -> bool:
    first, after = PERIOD.bounds
    return first <= seen < after


@pytest.fixture
def missing():
    home, _ = LocalAuthority.objects.get_or_create(
        ons_code=settings.HOME_AUTHORITY_ONS_CODE, defaults={"name": "Test Home Borough"}
    )
    other = LocalAuthorityFactory.create()
    children, placements = {}, {}
    for key, gender, where in CHILDREN:
        child = ChildFactory.create(gender=gender)
        children[key] = child
        if where is not None:
            placing = other if where == "placed_here" else home
            host = other if where == "out_of_area" else home
            placements[key] = PlacementFactory.create(
                child=child,
                placing_authority=placing,
                host_authority=host,
                start_date=datetime.date(2024, 1, 1),
            )
    for key, seen, status, where, companions, rhi in EPISODES:
        returned = seen + HOURS
        episode = Episode.objects.create(
            child=children[key],
            kind="missing",
            missing_from=where,
            legal_status=status,
            placement=placements.get(key) if where == "care" else None,
            last_seen_at=seen,
            reported_at=seen + datetime.timedelta(hours=1),
            returned_at=returned,
        )
        episode.with_children.set([children[other] for other in companions])
        if rhi is not None:
            outcome, hours = rhi
            ReturnInterview.objects.create(
                episode=episode,
                provider_rule="test",
                referred_at=returned,
                status=outcome,
                completed_at=returned + datetime.timedelta(hours=hours) if hours else None,
            )
    # Written around the services, so brought in step as each service does after a change.
    for child in children.values():
        sync_child(child)
    return children


def expected_missing() -> dict:
    """The figures, worked out from EPISODES and CHILDREN as the report defines them."""
    genders = {key: gender for key, gender, _ in CHILDREN}
    placed = {key: where for key, _, where in CHILDREN}
    counted = [row for row in EPISODES if _in_period(row[1])]
    by_child = defaultdict(list)
    for row in counted:
        by_child[row[0]].append(row)
    repeat_by_status = Counter(
        status for rows in by_child.values() if len(rows) > 1 for status in {row[2] for row in rows}
    )
    from_placements = {row[0] for row in counted if row[3] == "care"}
    return {
        "episodes_by_gender": Counter(genders[row[0]] for row in counted),
        "repeat_by_status": repeat_by_status,
        "in_association": sum(1 for row in counted if row[4]),
        "from_care_in_association": sum(1 for row in counted if row[4] and row[3] == "care"),
        "placed_by_other": sum(1 for key in from_placements if placed[key] == "placed_here"),
        "out_of_area": sum(1 for key in from_placements if placed[key] == "out_of_area"),
        "completed_within_72h": sum(
            1 for row in counted if row[5] and row[5][0] == "completed" and row[5][1] <= 72
        ),
        "ended": len(counted),
    }


def test_episodes_by_gender_count_episodes_not_children(missing):
    report = annual.build(PERIOD)
    want = expected_missing()["episodes_by_gender"]
    assert report["episodes_by_gender"] == {
        gender: want.get(gender, 0) for gender in ("male", "female", "other", "unknown")
    }
    assert sum(report["episodes_by_gender"].values()) == report["episodes"]
    # Children are counted once each, so by gender they differ from the episodes.
    assert report["by_gender"]["female"] == 2
    assert report["episodes_by_gender"]["female"] != report["by_gender"]["female"]


def test_repeat_missing_by_legal_status_at_the_time(missing):
    report = annual.build(PERIOD)
    want = expected_missing()["repeat_by_status"]
    assert report["children_with_more_than_one_episode_by_legal_status"] == {
        status: want.get(status, 0) for status in annual.STATUSES
    }
    # g1 went missing as looked after and as a child in need: counted under both.
    assert want["CLA"] >= 1
    assert want["CIN"] >= 1
    # g5 went missing once in the period (the other episode is before it): not a repeat.
    assert report["children_with_more_than_one_episode"] == 3


def test_missing_in_association_counts_episodes_naming_another_child(missing):
    report = annual.build(PERIOD)
    want = expected_missing()
    assert report["episodes_in_association"] == want["in_association"]
    assert report["episodes_from_care_in_association"] == want["from_care_in_association"]
    assert 0 < report["episodes_from_care_in_association"] < report["episodes_in_association"]


def test_children_placed_by_other_authorities_and_out_of_area(missing):
    report = annual.build(PERIOD)
    want = expected_missing()
    assert report["children_placed_by_other_authorities"] == want["placed_by_other"]
    assert report["children_placed_out_of_area"] == want["out_of_area"]
    # g1 went missing twice from the placement another authority made: one child.
    assert report["children_placed_by_other_authorities"] == 2


def test_the_home_authority_is_read_when_the_report_is_counted(missing, settings):
    """Another home authority: the placements made by the old one are now someone else's."""
    before = annual.build(PERIOD)
    settings.HOME_AUTHORITY_ONS_CODE = "E98999999"  # no placement's authority
    after = annual.build(PERIOD)
    assert after["children_placed_out_of_area"] == 0
    # Every child with an episode from a placement now counts as placed by another authority.
    assert after["children_placed_by_other_authorities"] == (
        before["children_placed_by_other_authorities"]
        + before["children_placed_out_of_area"]
        + 1  # g3, placed by the old home authority in its own area
    )


def test_interviews_completed_within_72_hours_of_the_return(missing):
    report = annual.build(PERIOD)
    want = expected_missing()
    assert report["rhi"]["completed_within_72h"] == want["completed_within_72h"]
    # 72 hours exactly is within; 80 and 100 hours are not.
    assert report["rhi"]["completed"] == 5
    assert report["pct_rhi_completed_within_72h"] == round(
        100 * want["completed_within_72h"] / want["ended"], 1
    )


# Exploitation: child, gender, ethnicity, area, and their assessments in order: (when,
# type, where the concern came from, what is known of the suspects).
ASSESSED: list[tuple[Any, ...]] = [
    (
        "x1",
        "female",
        "WBRI",
        "North Ward",
        [
            (at(2025, 6, 1, 10), "sexual", "police", ["acting_alone", "met_online"]),
            (at(2025, 9, 1, 10), "criminal", "school", ["organised_group"]),
        ],
    ),
    (
        "x2",
        "male",
        "BCRB",
        "South Ward",
        [(at(2025, 7, 1, 10), "criminal", "police", ["several_victims"])],
    ),
    ("x3", "female", "WBRI", "", [(at(2025, 8, 1, 10), "trafficking", "", [])]),
    (
        "x4",
        "female",
        "AIND",
        "North Ward",
        [
            (at(2025, 1, 5, 10), "radicalisation", "parent", ["acting_alone"]),  # before
            (at(2025, 10, 1, 10), "sexual", "health", ["met_online", "several_victims"]),
        ],
    ),
]


@pytest.fixture
def assessed(users, default_instrument):
    worker = users["missing_coordinator"]
    for _, gender, ethnicity, area, rows in ASSESSED:
        child = ChildFactory.create(gender=gender, ethnicity=ethnicity, area=area)
        for when, kind, source, suspects in rows:
            assess(
                worker,
                child,
                exploitation_type=kind,
                identified_by=source,
                suspects=suspects,
                assessed_at=when,
            )


def expected_exploitation() -> dict:
    first, after = PERIOD.bounds
    latest, every = {}, defaultdict(set)
    details = {}
    for key, _, ethnicity, area, rows in ASSESSED:
        details[key] = (ethnicity, area or "Not recorded")
        for when, kind, source, suspects in rows:
            if first <= when < after:
                latest[key] = (kind, source or "not_recorded", suspects)
                every[kind].add(key)
    return {
        "by_ethnicity": Counter(details[key][0] for key in latest),
        "by_area": Counter(details[key][1] for key in latest),
        "by_source": Counter(source for _, source, _ in latest.values()),
        "suspects": Counter(fact for *_, suspects in latest.values() for fact in suspects),
        "every_type": {kind: len(keys) for kind, keys in every.items()},
        "latest_type": Counter(kind for kind, _, _ in latest.values()),
    }


def test_exploitation_by_ethnicity_and_by_area(assessed):
    x = annual.build(PERIOD)["exploitation"]
    want = expected_exploitation()
    assert x["by_ethnicity"] == dict(want["by_ethnicity"])
    assert x["by_area"] == dict(want["by_area"])
    assert sum(x["by_area"].values()) == x["children_assessed"] == 4


def test_where_the_concern_came_from_as_the_latest_assessment_records_it(assessed):
    x = annual.build(PERIOD)["exploitation"]
    want = expected_exploitation()["by_source"]
    assert x["by_source_of_identification"] == {
        source: want.get(source, 0)
        for source in [
            "police",
            "school",
            "social_care",
            "health",
            "parent",
            "child",
            "other",
            "not_recorded",
        ]
    }
    # x1 was first raised by the police, but the latest assessment says school.
    assert x["by_source_of_identification"]["school"] == 1


def test_what_is_known_of_the_suspects_is_counted(assessed):
    x = annual.build(PERIOD)["exploitation"]
    want = expected_exploitation()["suspects"]
    assert x["suspects"] == {
        fact: want.get(fact, 0)
        for fact in ("acting_alone", "several_victims", "organised_group", "met_online")
    }


def test_each_child_is_counted_under_every_type_assessed_not_only_the_latest(assessed):
    x = annual.build(PERIOD)["exploitation"]
    want = expected_exploitation()
    assert x["children_by_every_type_assessed"] == {
        kind: want["every_type"].get(kind, 0)
        for kind in ("sexual", "criminal", "radicalisation", "trafficking")
    }
    # x1's sexual assessment counts though their latest is criminal; x4's radicalisation
    # assessment was before the period and does not.
    assert x["children_by_every_type_assessed"]["sexual"] == 2
    assert x["by_type"]["sexual"] == want["latest_type"]["sexual"] == 1
    assert x["children_by_every_type_assessed"]["radicalisation"] == 0


def test_published_hides_the_new_small_counts(missing, assessed):
    raw = annual.build(PERIOD)
    shown = suppression.published(raw)
    marks = shown["suppressed"]
    # Each new figure here is from 1 to 4: hidden, and named in `suppressed`.
    for name, value in [
        ("episodes_in_association", raw["episodes_in_association"]),
        ("children_placed_by_other_authorities", raw["children_placed_by_other_authorities"]),
        ("children_placed_out_of_area", raw["children_placed_out_of_area"]),
        ("rhi.completed_within_72h", raw["rhi"]["completed_within_72h"]),
        ("episodes_by_gender.female", raw["episodes_by_gender"]["female"]),
        ("exploitation.by_source_of_identification.police", 1),
        ("exploitation.suspects.several_victims", 2),
        ("exploitation.children_by_every_type_assessed.sexual", 2),
        ("exploitation.by_ethnicity.WBRI", 2),
        ("exploitation.by_area.North Ward", 2),
    ]:
        assert 0 < value < 5, name
        assert marks[name] == "<5", name
    assert shown["episodes_in_association"] is None
    assert shown["exploitation"]["suspects"]["several_victims"] is None
    # The share of a hidden count is hidden with it; zeros stay shown.
    assert shown["pct_rhi_completed_within_72h"] is None
    assert shown["exploitation"]["by_source_of_identification"]["social_care"] == 0
    assert shown["children_with_more_than_one_episode_by_legal_status"]["EH"] == 0
    text = output.as_csv(shown).decode("utf-8-sig")
    assert "Episodes missing in association with other children,<5" in text
    assert "Exploitation: Children assessed by where the concern came from: Police,<5" in text
    # Not marked for publication: counted as they are.
    assert "suppressed" not in raw


# Codes the data above puts in the new figures: none may be printed as they are.
CODES = [
    "episodes_by_gender",
    "episodes_in_association",
    "children_placed_by_other_authorities",
    "completed_within_72h",
    "children_by_every_type_assessed",
    "by_source_of_identification",
    "social_care",
    "not_recorded",
    "acting_alone",
    "several_victims",
    "organised_group",
    "met_online",
    "BCRB",
    "AIND",
    "trafficking",
    "radicalisation",
]
NEW_SECTION_CAPTIONS = [
    "Episodes and children by gender",
    "Children placed by other authorities or out of area, and episodes missing in "
    "association with other children",
    "Completed within 72 hours of the return",
    "By every type of exploitation assessed",
    "By where the concern came from",
    "By ethnicity",
    "By area",
    "What is known of the suspects",
]


def codes_in(text: str) -> list[str]:
    return [code for code in CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]


def test_the_csv_pdf_and_xlsx_hold_the_new_figures_in_words(missing, assessed):
    from openpyxl import load_workbook

    report = annual.build(PERIOD)
    csv_text = output.as_csv(report).decode("utf-8-sig")
    assert "Episodes by gender: Female," in csv_text
    assert "Exploitation: Children assessed by where the concern came from: Police," in csv_text
    assert "Exploitation: Children whose suspects were known to be: Met the child online," in (
        csv_text
    )
    assert "Exploitation: Children assessed by ethnicity: Caribbean," in csv_text
    assert codes_in(csv_text) == []

    html = output.annual_pdf_html(report)
    assert "<h2>Placements and going missing together</h2>" in html
    for caption in NEW_SECTION_CAPTIONS:
        assert caption in html, caption
    # The gender, every-type and source charts beside the three the report had.
    assert html.count('<svg role="img"') == 6
    assert codes_in(strip_tags(html)) == []

    book = load_workbook(io.BytesIO(output.as_xlsx(report)))
    sheet = book["Annual report"]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Placements and going missing together" in cells
    for caption in NEW_SECTION_CAPTIONS:
        assert any(cell.startswith(caption) for cell in cells), caption
    assert len(sheet._charts) == 6
    assert codes_in(" ".join(cells)) == []
    figures = [str(c) for row in book["All figures"].iter_rows(values_only=True) for c in row]
    assert "Children placed here by other authorities" in figures
    # The source table's rows, in words, beside their counts.
    source = cells.index("By where the concern came from")
    assert cells[source + 1 : source + 3] == ["Source", "Number"]
    assert cells[source + 3 : source + 5] == ["Police", "1"]


def test_the_page_shows_the_new_sections_in_words(missing, assessed, client_for, users):
    client = client_for(users["missing_coordinator"])
    response = client.get(
        "/reports/annual/",
        {
            "start_0": "1",
            "start_1": "4",
            "start_2": "2025",
            "end_0": "31",
            "end_1": "3",
            "end_2": "2026",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Placements and going missing together",
        "Children placed here by other authorities",
        "Children placed out of area by the home authority",
        "Episodes missing in association with other children",
        "within 72 hours of the return",
        "Episodes and children by gender",
        "Children with more than one episode, by legal status at the time",
        "By every type of exploitation assessed",
        "By where the concern came from",
        "By ethnicity",
        "By area",
        "What is known of the suspects",
    ]:
        assert text in page, text
    assert "Met the child online" in page
    assert "School or education setting" in page
    assert codes_in(strip_tags(page)) == []
    words = labels.page_labels({})
    assert words["exploitation_by_source_of_identification"]["not_recorded"] == "Not recorded"
