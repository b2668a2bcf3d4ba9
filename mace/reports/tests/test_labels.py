"""Reports for a board (issue 19 point 7): labels in words, never codes, on every report page
and output (page, CSV, xlsx, PDF) of the annual report and of the quarterly dataset."""

import datetime
import io
import re

import pytest
from django.utils.html import strip_tags

from mace.disruption.models import DisruptionOutcome
from mace.episodes.models import Episode
from mace.exploitation.tests.helpers import assess
from mace.lib.quarters import Quarter
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.reports import annual, dataset, output

from .test_annual import at, episode

pytestmark = pytest.mark.django_db

# Codes the data below puts in the report: none may be printed as they are.
CODES = [
    "NONE",
    "CARE_LEAVER",
    "CLA",
    "CIN",
    "peer_influence",
    "family_relationships",
    "SH3",
    "significant_harm",
    "not_at_risk",
    "at_risk",
    "cawn",
    "criminal",
    "missing_from_home",
    "away_from_placement",
    "offered_within_72h",
    "episodes_by_legal_status",
    "by_gender",
    "older_partner",
    "by_sexuality",
    "WBRI",
    "on_the_register",
]
QUERY = {
    "start_0": "1",
    "start_1": "1",
    "start_2": "2026",
    "end_0": "31",
    "end_1": "3",
    "end_2": "2026",
}


def codes_in(text: str) -> list[str]:
    return [code for code in CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]


@pytest.fixture
def coded(users, default_instrument):
    """A quarter whose figures have a code of every kind: legal statuses, push and pull
    factors, an indicator answered yes, a level, a type, a form of exploitation and a
    disruption outcome."""
    worker = users["missing_coordinator"]
    child = ChildFactory.create(
        gender="female", date_of_birth=datetime.date(2010, 6, 1), ethnicity="WBRI"
    )
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2025, 1, 1))
    first = episode(child, at(2026, 2, 3, 20), "CLA", at(2026, 2, 4, 9), missing_from="care")
    Episode.objects.filter(pk=first.pk).update(
        push_pull_factors=["peer_influence", "family_relationships"]
    )
    first.refresh_from_db()
    first.save()
    episode(ChildFactory.create(), at(2026, 2, 5, 20), "CARE_LEAVER", at(2026, 2, 6, 9))
    assess(
        worker,
        child,
        yes=["SH3"],
        assessed_at=at(2026, 2, 10, 10),
        types_of_exploitation=["older_partner"],
    )
    DisruptionOutcome.objects.create(
        kind="cawn",
        occurred_on=datetime.date(2026, 2, 11),
        agency=users["police_officer"].agency,
        child=child,
        recorded_by=worker,
    )
    return child


def test_the_annual_report_page_and_files_name_every_figure_in_words(coded, users, client_for):
    report = annual.build(annual.Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    assert report["episodes_by_legal_status"]["CLA"] == 1  # the codes are there to label
    assert report["push_pull_factors"] == {"family_relationships": 1, "peer_influence": 1}
    assert report["exploitation"]["indicators_answered_yes"] == {"SH3": 1}
    page = client_for(users["analyst"]).get("/reports/annual/", QUERY)
    assert page.status_code == 200
    shown = strip_tags(page.content.decode())
    assert "Peer influence" in shown
    assert "Looked after" in shown
    assert codes_in(shown) == []
    csv = output.as_csv(report).decode("utf-8-sig")
    assert "Push and pull factors recorded: Peer influence,1" in csv
    assert codes_in(csv) == []
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(output.as_xlsx(report)))
    cells = " | ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "Care leaver" in cells
    assert codes_in(cells) == []
    pdf = strip_tags(output.annual_pdf_html(report))
    assert "Child abduction warning notice" in pdf
    assert codes_in(pdf) == []


def test_the_dataset_page_and_files_name_every_breakdown_in_words(coded, users, client_for):
    data = dataset.build(Quarter.parse("2026Q1"), cleared=True)
    page = client_for(users["manager"]).get("/reports/dataset/", {"quarter": "2026Q1"})
    assert page.status_code == 200
    shown = strip_tags(page.content.decode())
    assert "Older boyfriend or girlfriend" in shown
    assert codes_in(shown) == []
    csv = output.dataset_csv(data).decode("utf-8-sig")
    assert "Gender: Female" in csv
    assert codes_in(csv) == []
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(output.dataset_xlsx(data)))
    cells = " | ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "Ethnicity: White British" in cells
    assert codes_in(cells) == []
    assert codes_in(strip_tags(output.dataset_pdf_html(data))) == []


SECTIONS = [
    "Summary",
    "Legal status at the time",
    "Month by month",
    "When episodes start",
    "Who goes missing",
    "Placements and going missing together",
    "Return interviews",
    "Exploitation",
]


def test_the_pdf_and_xlsx_are_laid_out_as_an_annual_report(coded):
    """Headings per section, the charts, then tables of words and figures: not a dump of
    keys and values."""
    from openpyxl import load_workbook

    report = annual.build(annual.Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    html = output.annual_pdf_html(report)
    assert re.findall(r"<h2>(.*?)</h2>", html) == SECTIONS
    assert html.count('<svg role="img"') == 6
    assert "<caption>Push and pull factors recorded</caption>" in html
    book = load_workbook(io.BytesIO(output.as_xlsx(report)))
    sheet = book["Annual report"]
    first_column = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert first_column[0] == "Missing children: annual report"
    for heading in SECTIONS:
        assert heading in first_column
    assert len(sheet._charts) == 6
    status = first_column.index("Status")
    assert list(next(sheet.iter_rows(min_row=status + 2, max_row=status + 2, values_only=True)))[
        :5
    ] == [
        "Not open to children's services",
        0,
        0.0,
        0,
        0,
    ]
    assert "All figures" in book.sheetnames
