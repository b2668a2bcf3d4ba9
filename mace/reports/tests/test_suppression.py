"""Small-number suppression of the annual report and the quarterly dataset (SPEC C9, issue 16
point 7): counts from 1 to REPORT_SUPPRESS_BELOW - 1 hidden, and, so that no hidden count can
be worked out by subtracting the shown ones from a shown total, a second count hidden in any
breakdown where only one would be."""

import datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mace.lib.quarters import Quarter
from mace.people.tests.factories import ChildFactory
from mace.reports import annual, dataset, output, suppression
from mace.worklist.engine import sync_child

from .test_annual import PERIOD, at, episode, known  # noqa: F401  (the known dataset fixture)

pytestmark = pytest.mark.django_db

# The breakdowns of the annual report that add up to a figure it also shows: (the total, the
# parts). Written out here from the report's definitions rather than taken from the code
# under test, so that a breakdown the code forgets fails the property below.
STATUSES = ["NONE", "EH", "CIN", "CP", "CLA", "CARE_LEAVER"]
GENDERS = ["male", "female", "other", "unknown"]
AGES = ["0-9", "10-12", "13-15", "16-17", "18+", "unknown"]


def annual_breakdowns(report):
    """(name, total, parts) for each breakdown of the report that sums to a shown total."""
    x = report["exploitation"]
    yield (
        "episodes by legal status",
        report["episodes"],
        [report["episodes_by_legal_status"][s] for s in STATUSES],
    )
    yield "episodes by hour", report["episodes"], report["episodes_by_hour_started"]
    yield "episodes by day", report["episodes"], list(report["episodes_by_day_started"].values())
    yield "episodes by age", report["episodes"], [report["episodes_by_age"][a] for a in AGES]
    yield "episodes ended or not", report["episodes"], [report["found"], report["still_missing"]]
    yield (
        "ended within 18 hours or not",
        report["found"],
        [report["episodes_18h_or_less"], report["episodes_over_18h"]],
    )
    yield "children by gender", report["children"], [report["by_gender"][g] for g in GENDERS]
    yield (
        "children by ethnicity",
        report["children"],
        list(report["children_by_ethnicity"].values()),
    )
    yield "children by area", report["children"], list(report["children_by_area"].values())
    yield (
        "episodes by gender",
        report["episodes"],
        [report["episodes_by_gender"][g] for g in GENDERS],
    )
    for part in (
        "by_level",
        "by_type",
        "by_gender",
        "by_age",
        "by_legal_status",
        "by_ethnicity",
        "by_area",
        "by_source_of_identification",
    ):
        yield f"assessed {part}", x["children_assessed"], list(x[part].values())
    yield (
        "assessed with suspects named or not",
        x["children_assessed"],
        [x["suspects_named"], x["suspects_not_named"]],
    )


def annual_breakdowns_that_may_add_up(report):
    """Breakdowns that add up to a shown figure only sometimes, but then exactly: children
    by legal status add up to the children when none changed status between episodes, and
    the monthly counts to the children (or the episodes) when none went missing twice in a
    month, which `children_with_more_than_one_episode` of 0 tells."""
    yield (
        "children by legal status",
        [report["children"]],
        [report["children_by_legal_status"][s] for s in STATUSES],
    )
    yield (
        "monthly",
        [report["children"], report["episodes"]],
        [
            row[kind]
            for row in report["monthly"]
            for kind in ("missing_from_home", "missing_from_care", "away_from_placement")
        ],
    )
    yield (
        "repeat children by legal status",
        [report["children_with_more_than_one_episode"]],
        [report["children_with_more_than_one_episode_by_legal_status"][s] for s in STATUSES],
    )
    yield (
        "children assessed under every type",
        [report["exploitation"]["children_assessed"]],
        list(report["exploitation"]["children_by_every_type_assessed"].values()),
    )


def assert_never_one_hidden(breakdowns):
    """Unless every figure they may add up to is hidden too."""
    for name, totals, parts in breakdowns:
        hidden = sum(1 for part in parts if part is None)
        if any(total is not None for total in totals):
            assert hidden == 0 or hidden >= 2, f"{name}: one hidden count, {parts}"


def dataset_breakdowns(data):
    by_name = {item["item"]: item for item in data["items"]}
    away = by_name["Incidences of looked after children away from placement without authorisation"]
    for part in ("by_age", "by_gender"):
        yield f"away {part}", away["value"], list(away["breakdown"][part].values())
    levels = by_name["Children (a) vulnerable to, (b) at risk of, (c) exposed to CSE"]
    yield "CSE levels", levels["value"], list(levels["breakdown"].values())
    people = by_name["Demographics of children and young people"]
    for part in ("by_age", "by_gender", "by_ethnicity", "by_sexuality"):
        yield f"demographics {part}", people["value"], list(people["breakdown"][part].values())


def assert_no_hidden_count_can_be_worked_out(raw_breakdowns, shown_breakdowns):
    for (name, total, parts), (_, shown_total, shown_parts) in zip(
        raw_breakdowns, shown_breakdowns, strict=True
    ):
        assert sum(parts) == total, f"{name}: not a breakdown of its total"
        hidden = sum(1 for part in shown_parts if part is None)
        if shown_total is not None:
            assert hidden in (0,) or hidden >= 2, f"{name}: one hidden count, {shown_parts}"
        else:
            # A hidden total with every part shown is their sum.
            assert hidden >= 1 or total == 0, f"{name}: hidden total, parts all shown"


@pytest.fixture
def seven():
    """Seven children with one episode each in the period: six girls (child in need) and one
    boy (looked after), so that the gender and legal status breakdowns each have exactly one
    small count beside a total of seven."""
    children = [ChildFactory.create(gender="female") for _ in range(6)]
    children.append(ChildFactory.create(gender="male"))
    for number, child in enumerate(children):
        status = "CLA" if child.gender == "male" else "CIN"
        seen = at(2025, 6, 2 + number, 20)
        episode(child, seen, status, seen + datetime.timedelta(hours=5))
        sync_child(child)
    return children


def test_secondary_suppression_hides_a_second_count_beside_one_small_count_and_a_total(seven):
    raw = annual.build(PERIOD)
    assert raw["by_gender"]["male"] == 1
    assert raw["by_gender"]["female"] == 6
    assert raw["children"] == 7

    shown = suppression.published(raw)

    assert shown["children"] == 7  # the total stays
    assert shown["by_gender"]["male"] is None  # 1: small
    assert shown["by_gender"]["female"] is None  # 6, hidden or 7 - 6 would give the boy away
    assert shown["by_gender"]["other"] == 0
    assert shown["by_gender"]["unknown"] == 0
    assert shown["episodes_by_legal_status"]["CLA"] is None
    assert shown["episodes_by_legal_status"]["CIN"] is None
    # Percentages of hidden counts are hidden too.
    assert shown["pct_episodes_by_legal_status"]["CIN"] is None
    assert shown["pct_episodes_by_legal_status"]["EH"] == 0.0
    # Each hidden count says why: small ("<5") or hidden beside one ("[c]").
    assert shown["suppressed"]["by_gender.male"] == "<5"
    assert shown["suppressed"]["by_gender.female"] == "[c]"
    assert_no_hidden_count_can_be_worked_out(
        list(annual_breakdowns(raw)), list(annual_breakdowns(shown))
    )
    assert_never_one_hidden(annual_breakdowns_that_may_add_up(shown))
    text = output.as_csv(shown).decode("utf-8-sig")
    assert "Children by gender: Male,<5" in text
    assert "Children by gender: Female,[c]" in text
    assert "Episodes by legal status at the time (%): Child in need,[c]" in text


def test_children_by_legal_status_hide_a_second_count_when_no_child_went_missing_twice(seven):
    """Seven children, none missing twice: each had one status, so the children by legal
    status add up to the seven children and a lone hidden count would be 7 less the rest."""
    shown = suppression.published(annual.build(PERIOD))
    assert shown["children_with_more_than_one_episode"] == 0
    assert shown["children_by_legal_status"]["CLA"] is None  # 1
    assert shown["children_by_legal_status"]["CIN"] is None  # 6, else 7 - 6 gives the 1


def test_a_hidden_total_hides_a_part_too_so_it_cannot_be_added_up(seven):
    """Found (7) is shown; still missing (0) is shown; but where a total is hidden to protect
    a small neighbour, a breakdown of it that shows every part would add it back up."""
    raw = annual.build(PERIOD)
    raw["still_missing"], raw["episodes"] = 2, 9  # as if two more were still missing
    raw["episodes_by_legal_status"]["CIN"] += 2
    raw["episodes_by_hour_started"][20] += 2
    raw["episodes_by_day_started"]["Monday"] += 2
    raw["episodes_by_age"]["unknown"] += 2
    shown = suppression.published(raw)
    assert shown["still_missing"] is None  # 2: small
    assert shown["found"] is None  # else 9 - 7 gives it
    # found is the total of 18 hours or less (7) and over (0): one of them must be hidden.
    assert shown["episodes_18h_or_less"] is None
    assert shown["pct_episodes_18h_or_less"] is None


@pytest.mark.parametrize("fixture", ["known", "seven"])
def test_no_hidden_count_of_the_annual_report_can_be_worked_out_from_what_is_shown(
    request, fixture
):
    request.getfixturevalue(fixture)
    raw = annual.build(PERIOD)
    shown = suppression.published(raw)
    assert_no_hidden_count_can_be_worked_out(
        list(annual_breakdowns(raw)), list(annual_breakdowns(shown))
    )


COUNTS = st.one_of(st.integers(0, 6), st.integers(0, 60))


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_hidden_count_can_be_worked_out_whatever_the_counts(db, data):
    """The property over every breakdown with a total, for counts drawn at random: each
    breakdown is made to add up, from the parts to the totals, as a real report would."""
    report = annual.build(PERIOD)  # every key, all zero

    def parts(n):
        return [data.draw(COUNTS) for _ in range(n)]

    hours = parts(24)
    episodes = sum(hours)
    report["episodes"] = episodes

    def split(total, n):
        """n counts adding up to total, drawn at random."""
        cuts = sorted(data.draw(st.integers(0, total)) for _ in range(n - 1))
        return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]

    report["episodes_by_hour_started"] = hours
    report["episodes_by_legal_status"] = dict(zip(STATUSES, split(episodes, 6), strict=True))
    report["episodes_by_day_started"] = dict(
        zip(report["episodes_by_day_started"], split(episodes, 7), strict=True)
    )
    report["episodes_by_age"] = dict(zip(AGES, split(episodes, 6), strict=True))
    report["found"], report["still_missing"] = split(episodes, 2)
    report["episodes_18h_or_less"], report["episodes_over_18h"] = split(report["found"], 2)
    children = data.draw(COUNTS)
    report["children"] = children
    report["by_gender"] = dict(zip(GENDERS, split(children, 4), strict=True))
    report["children_by_ethnicity"] = dict(
        zip(["WBRI", "BAFR", "MWBC"], split(children, 3), strict=True)
    )
    report["children_by_area"] = dict(zip(["North", "South"], split(children, 2), strict=True))
    report["episodes_by_gender"] = dict(zip(GENDERS, split(episodes, 4), strict=True))
    x = report["exploitation"]
    assessed = data.draw(COUNTS)
    x["children_assessed"] = assessed
    for part in ("by_level", "by_type", "by_gender", "by_age", "by_legal_status"):
        x[part] = dict(zip(x[part], split(assessed, len(x[part])), strict=True))
    x["suspects_named"], x["suspects_not_named"] = split(assessed, 2)
    x["by_ethnicity"] = dict(zip(["WBRI", "BCRB"], split(assessed, 2), strict=True))
    x["by_area"] = dict(zip(["North", "South"], split(assessed, 2), strict=True))
    sources = x["by_source_of_identification"]
    x["by_source_of_identification"] = dict(
        zip(sources, split(assessed, len(sources)), strict=True)
    )
    # Each child under every type assessed: the children assessed when none had two types.
    x["children_by_every_type_assessed"] = dict(x["by_type"])
    x["suspects"] = dict(zip(x["suspects"], parts(len(x["suspects"])), strict=True))

    statuses = split(children, 6)
    report["children_by_legal_status"] = dict(zip(STATUSES, statuses, strict=True))
    # Repeat children, each with one status: they add up to the repeat children.
    repeats = [data.draw(st.integers(0, count)) for count in statuses]
    report["children_with_more_than_one_episode"] = sum(repeats)
    report["children_with_more_than_one_episode_by_legal_status"] = dict(
        zip(STATUSES, repeats, strict=True)
    )
    for row in report["monthly"]:
        row.update(
            zip(
                ("missing_from_home", "missing_from_care", "away_from_placement"),
                parts(3),
                strict=True,
            )
        )

    shown = suppression.published(report)

    assert_no_hidden_count_can_be_worked_out(
        list(annual_breakdowns(report)), list(annual_breakdowns(shown))
    )
    assert_never_one_hidden(annual_breakdowns_that_may_add_up(shown))
    for name, value in output.rows(shown):
        if isinstance(value, int) and not name.startswith(("suppressed_below", "peak_")):
            assert value == 0 or value >= 5, f"{name} = {value} shown"


def test_the_dataset_hides_a_second_count_beside_one_small_count_and_a_total(users):
    """Five looked-after girls and one boy away from placement in the quarter."""
    quarter = Quarter.parse("2026Q1")
    for number in range(6):
        child = ChildFactory.create(
            gender="male" if number == 5 else "female", date_of_birth=datetime.date(2011, 5, 5)
        )
        seen = at(2026, 1, 5 + number, 20)
        episode(child, seen, "CLA", seen + datetime.timedelta(hours=3), kind="away")
    raw = dataset.build(quarter, cleared=False)
    shown = suppression.dataset_published(raw)
    away = {i["item"]: i for i in shown["items"]}[
        "Incidences of looked after children away from placement without authorisation"
    ]
    assert away["value"] == 6
    assert away["breakdown"]["by_gender"] == {"female": None, "male": None}
    assert_no_hidden_count_can_be_worked_out(
        list(dataset_breakdowns(raw)), list(dataset_breakdowns(shown))
    )
    text = output.dataset_csv(shown).decode("utf-8-sig")
    assert "Gender: Male,<5" in text
    assert "Gender: Female,[c]" in text
