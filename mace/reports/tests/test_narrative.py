"""The annual report's narrative (issue 19 point 7): the words a partnership writes between
its tables, kept with the period, shown on the page and printed in the PDF and the xlsx.
Who may write it, role by role, both ways; bad input refused with the section named and
nothing lost; every change audited."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from mace.access import policy
from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.reports import annual, narrative, output, services
from mace.reports.models import ReportNarrative

from .test_pages import QUERY

pytestmark = pytest.mark.django_db

PERIOD = annual.Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
WRITERS = {Role.MANAGER, Role.MISSING_COORDINATOR}
INTRO = "This report sets out the year's figures for the board.\n\nIt is the second such report."
SUMMARY = "Episodes fell by a tenth.\nRepeat missing stayed level."
CONCLUSIONS = "The partnership recommends a review of the return interview offer."


@pytest.fixture
def written(users):
    services.report_narrative_save(
        actor=users[Role.MANAGER],
        period=PERIOD,
        texts={"introduction": INTRO, "summary": SUMMARY, "conclusions": CONCLUSIONS},
    )


def test_the_narratives_sections_are_the_reports_sections():
    keys = [section["key"] for section in output.sections(_empty_report())]
    assert list(narrative.SECTIONS) == [narrative.INTRODUCTION, *keys, narrative.CONCLUSIONS]


def _empty_report():
    from mace.reports import suppression

    return suppression.marked(annual.build(PERIOD))


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_and_the_coordinator_write_the_narrative(role, users, client_for):
    actor = users[role]
    may = role in WRITERS
    assert policy.can_write_report_narrative(actor) is may
    client = client_for(actor)
    page = client.get("/reports/annual/narrative/", QUERY)
    posted = client.post(
        "/reports/annual/narrative/?" + "&".join(f"{k}={v}" for k, v in QUERY.items()),
        {"summary": "Written by a " + role.label},
    )
    if may:
        assert page.status_code == 200
        assert posted.status_code == 302
        assert ReportNarrative.objects.get().text == "Written by a " + role.label
    else:
        assert page.status_code == 403
        assert posted.status_code == 403
        assert not ReportNarrative.objects.exists()
        with pytest.raises(PermissionDenied):
            services.report_narrative_save(actor=actor, period=PERIOD, texts={"summary": "x"})
    if policy.can_run_reports(actor):
        report_page = client.get("/reports/annual/", QUERY).content.decode()
        assert ("/reports/annual/narrative/" in report_page) is may


def test_saving_keeps_each_section_with_the_period_and_audits_the_change(users, written):
    manager = users[Role.MANAGER]
    texts = narrative.for_period(PERIOD).texts
    assert texts == {"introduction": INTRO, "summary": SUMMARY, "conclusions": CONCLUSIONS}
    assert list(texts) == ["introduction", "summary", "conclusions"]  # the report's order
    other_year = annual.Period(datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    assert not narrative.for_period(other_year)
    assert narrative.for_period(PERIOD).changed_by == manager.display_name

    changed = services.report_narrative_save(
        actor=users[Role.MISSING_COORDINATOR],
        period=PERIOD,
        texts={"introduction": INTRO, "summary": "Episodes fell by a fifth.", "conclusions": ""},
    )

    assert changed == ["summary", "conclusions"]
    assert narrative.for_period(PERIOD).texts == {
        "introduction": INTRO,
        "summary": "Episodes fell by a fifth.",
    }
    events = AuditEvent.objects.filter(object_type="report.narrative").order_by("pk")
    assert [e.action for e in events] == ["create", "create", "create", "change", "delete"]
    change = events[3]
    assert change.before == {"text": SUMMARY}
    assert change.after == {"text": "Episodes fell by a fifth."}
    assert change.object_id == "annual:2025-04-01..2026-03-31:summary"


def test_a_section_too_long_is_refused_by_name_and_nothing_is_lost(users, client_for, written):
    client = client_for(users[Role.MANAGER])
    too_long = "A" * (narrative.MAX_CHARACTERS + 1)
    url = "/reports/annual/narrative/?" + "&".join(f"{k}={v}" for k, v in QUERY.items())

    page = client.post(url, {"introduction": "A new introduction", "monthly": too_long})

    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert "Month by month must be 10,000 characters or fewer (it has 10001)" in html
    assert "A new introduction" in html  # what was typed is shown back
    assert too_long in html
    assert narrative.for_period(PERIOD).texts["introduction"] == INTRO  # nothing saved
    with pytest.raises(ValidationError) as refused:
        services.report_narrative_save(
            actor=users[Role.MANAGER], period=PERIOD, texts={"appendix": "x"}
        )
    assert refused.value.message_dict == {
        "appendix": ["There is no section “appendix” in the annual report"]
    }


def test_the_page_shows_the_narrative_under_its_headings_to_every_reader(
    users, client_for, written
):
    services.report_narrative_save(
        actor=users[Role.MANAGER],
        period=PERIOD,
        texts={"monthly": "<script>alert(1)</script> Autumn was the busiest."},
    )
    for role in (Role.ANALYST, Role.MANAGER):
        html = client_for(users[role]).get("/reports/annual/", QUERY).content.decode()
        intro = html.index('data-testid="narrative-introduction"')
        summary_heading = html.index('<h2 class="govuk-heading-m">Summary</h2>')
        assert intro < summary_heading < html.index('data-testid="narrative-summary"')
        assert "It is the second such report." in html
        assert "Episodes fell by a tenth.<br>Repeat missing stayed level." in html
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Autumn was the busiest." in html
        assert html.index("Conclusions and recommendations") > html.index("Indicators answered")
        assert "Narrative last changed by" in html


def test_the_pdf_and_the_xlsx_print_the_narrative_and_the_csv_does_not(users, client_for, written):
    services.report_narrative_save(
        actor=users[Role.MANAGER], period=PERIOD, texts={"exploitation": "=HYPERLINK(1)"}
    )
    report = annual.build(PERIOD)
    texts = narrative.for_period(PERIOD).texts
    html = output.annual_pdf_html(report, texts)
    assert html.index("<h2>Introduction</h2>") < html.index("<h2>Summary</h2>")
    assert "<p>This report sets out the year&#x27;s figures for the board.</p>" in html
    assert "<p>Episodes fell by a tenth.<br>Repeat missing stayed level.</p>" in html
    assert html.index("<h2>Conclusions and recommendations</h2>") > html.index(
        "<h2>Exploitation</h2>"
    )

    client = client_for(users[Role.MANAGER])
    xlsx = client.get("/reports/annual/", {**QUERY, "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx))["Annual report"]
    cells = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert cells.index("Introduction") < cells.index(INTRO.split("\n\n")[0])
    assert "It is the second such report." in cells
    assert cells.index("Summary") < cells.index(SUMMARY)
    assert cells[-1] == CONCLUSIONS
    assert "'=HYPERLINK(1)" in cells  # a formula written as text, not run
    pdf = client.get("/reports/annual/", {**QUERY, "format": "pdf"}).content
    assert pdf.startswith(b"%PDF")
    csv = client.get("/reports/annual/", {**QUERY, "format": "csv"}).content.decode()
    assert "second such report" not in csv
