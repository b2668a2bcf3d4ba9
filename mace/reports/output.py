"""The annual report and the quarterly dataset as JSON, CSV, xlsx and PDF. A suppressed report
(mace.reports.suppression) names its hidden figures in `suppressed`; each file shows them as
that says ("<5", "[c]")."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.template.loader import render_to_string

from mace.lib.paragraphs import paragraphs
from mace.lib.spreadsheet import safe_row
from mace.reports import labels, suppression, voice
from mace.reports.narrative import CONCLUSIONS, INTRODUCTION, SECTIONS


def as_json(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()


def rows(report: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(figure, value) pairs, nested keys joined with dots, lists by position or month."""
    for key, value in report.items():
        if key == "suppressed":
            continue  # how hidden figures are shown, not a figure
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from rows(value, f"{name}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and "month" in item:
                    for field, count in item.items():
                        if field != "month":
                            yield f"{name}.{item['month']}.{field}", count
                else:
                    yield f"{name}.{index}", item
        else:
            yield name, value


def shown_rows(report: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """`rows`, with each hidden figure as it is shown ("<5", "[c]")."""
    marks = report.get("suppressed") or {}
    for name, value in rows(report):
        yield name, marks.get(name, "" if value is None else value)


def labelled_rows(report: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """`shown_rows`, each figure named in words ("Episodes by legal status at the time:
    Looked after"), not by its key."""
    values = labels.value_labels(labels.indicator_names())
    for name, value in shown_rows(report):
        if name in ("period.from", "period.to"):
            continue  # said in the file's heading
        yield labels.figure_label(name, values), value


def as_csv(report: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    period = report["period"]
    writer.writerow(["Figure", f"Value ({period['from']} to {period['to']})"])
    for name, value in labelled_rows(report):
        writer.writerow(safe_row([name, value]))
    return out.getvalue().encode("utf-8-sig")


NOT_SHOWN = "\u2013"  # an en dash: a percentage or peak hidden with the count it would reveal


def _shown(value: Any) -> Any:
    return NOT_SHOWN if value is None else value


def _pairs(
    caption: str, heading: str, figures: dict[str, Any], words: dict[str, str]
) -> dict[str, Any]:
    return {
        "caption": caption,
        "columns": [heading, "Number"],
        "rows": [[words.get(key, key), _shown(value)] for key, value in figures.items()],
    }


def sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The annual report as a board reads it: headed sections, each with its tables (caption,
    column headings, rows of words and figures) and the chart that goes with it, if any.
    `report` is as shown: hidden counts as their marks (`suppression.marked`)."""
    words = labels.value_labels(labels.indicator_names())
    rhi = report["rhi"]
    peak = (
        f"{report['peak_day']}s; {report['peak_hour']}:00 to {report['peak_hour'] + 1}:00"
        if report.get("peak_day")
        else NOT_SHOWN
    )
    summary = [
        ["Episodes", report["episodes"]],
        ["Children", report["children"]],
        ["Children with more than one episode", report["children_with_more_than_one_episode"]],
        [
            "Children with more than one episode (%)",
            report["pct_children_with_more_than_one_episode"],
        ],
        ["Episodes of 18 hours or less", report["episodes_18h_or_less"]],
        ["Episodes of 18 hours or less (% of those ended)", report["pct_episodes_18h_or_less"]],
        ["Episodes of more than 18 hours", report["episodes_over_18h"]],
        ["Episodes with no return recorded", report["still_missing"]],
        ["Children known to CAMHS", report["children_known_to_camhs"]],
        ["Peak time", peak],
    ]
    statuses = report["episodes_by_legal_status"]
    repeat_by_status = report["children_with_more_than_one_episode_by_legal_status"]
    exploitation = report["exploitation"]
    together = [
        [labels.FIGURES[key], _shown(report[key])]
        for key in (
            "children_placed_by_other_authorities",
            "children_placed_out_of_area",
            "episodes_in_association",
            "episodes_from_care_in_association",
        )
    ]
    return [
        {
            "key": "summary",
            "heading": "Summary",
            "tables": [
                {
                    "caption": "The year at a glance",
                    "columns": ["Figure", "Number"],
                    "rows": [[k, _shown(v)] for k, v in summary],
                }
            ],
        },
        {
            "key": "legal_status",
            "heading": "Legal status at the time",
            "chart": "legal_status",
            "tables": [
                {
                    "caption": "Episodes and children by legal status at the start of the episode",
                    "columns": [
                        "Status",
                        "Episodes",
                        "Episodes (%)",
                        "Children",
                        "Children with more than one episode",
                    ],
                    "rows": [
                        [
                            labels.LEGAL.get(status, status),
                            _shown(count),
                            _shown(report["pct_episodes_by_legal_status"].get(status)),
                            _shown(report["children_by_legal_status"].get(status)),
                            _shown(repeat_by_status.get(status)),
                        ]
                        for status, count in statuses.items()
                    ],
                }
            ],
        },
        {
            "key": "monthly",
            "heading": "Month by month",
            "chart": "monthly",
            "tables": [
                {
                    "caption": "Children each month, by kind of episode",
                    "columns": [
                        "Month",
                        "Missing from home",
                        "Missing from care",
                        "Away from placement",
                    ],
                    "rows": [
                        [
                            row["month"],
                            _shown(row["missing_from_home"]),
                            _shown(row["missing_from_care"]),
                            _shown(row["away_from_placement"]),
                        ]
                        for row in report["monthly"]
                    ],
                }
            ],
        },
        {
            "key": "when",
            "heading": "When episodes start",
            "chart": "hours",
            "tables": [
                _pairs("Episodes by day of the week", "Day", report["episodes_by_day_started"], {}),
                {
                    "caption": "Episodes by the hour they started",
                    "columns": ["Hour", "Number"],
                    "rows": [
                        [f"{hour:02d}:00 to {hour + 1:02d}:00", _shown(n)]
                        for hour, n in enumerate(report["episodes_by_hour_started"])
                    ],
                },
            ],
        },
        {
            "key": "who",
            "heading": "Who goes missing",
            "chart": "gender",
            "tables": [
                {
                    "caption": "Episodes and children by gender",
                    "columns": ["Gender", "Episodes", "Children"],
                    "rows": [
                        [
                            words["by_gender"].get(gender, gender),
                            _shown(report["episodes_by_gender"].get(gender)),
                            _shown(children),
                        ]
                        for gender, children in report["by_gender"].items()
                    ],
                },
                _pairs(
                    "Episodes by age at the time",
                    "Age",
                    report["episodes_by_age"],
                    words["episodes_by_age"],
                ),
                _pairs(
                    "Children by ethnicity",
                    "Ethnicity",
                    report["children_by_ethnicity"],
                    words["children_by_ethnicity"],
                ),
                _pairs("Children by area", "Area", report["children_by_area"], {}),
                _pairs(
                    "Push and pull factors recorded",
                    "Factor",
                    report["push_pull_factors"],
                    words["push_pull_factors"],
                ),
            ],
        },
        {
            "key": "placements",
            "heading": "Placements and going missing together",
            "tables": [
                {
                    "caption": "Children placed by other authorities or out of area, and "
                    "episodes missing in association with other children",
                    "columns": ["Figure", "Number"],
                    "rows": together,
                },
                _pairs(
                    "Missing from care, by placement type",
                    "Placement",
                    report["episodes_from_care_by_placement_type"],
                    {},
                ),
            ],
        },
        {
            "key": "interviews",
            "heading": "Return interviews",
            "tables": [
                _pairs(
                    "Return interviews after episodes that ended", "Interviews", rhi, words["rhi"]
                ),
                {
                    "caption": "Offered within 72 hours of the return",
                    "columns": ["Figure", "%"],
                    "rows": [["Of episodes ended", _shown(report["pct_rhi_offered_within_72h"])]],
                },
                {
                    "caption": "Completed within 72 hours of the return",
                    "columns": ["Figure", "%"],
                    "rows": [["Of episodes ended", _shown(report["pct_rhi_completed_within_72h"])]],
                },
            ],
        },
        {
            "key": "exploitation",
            "heading": "Exploitation",
            "tables": [
                {
                    "caption": "Children assessed in the period",
                    "columns": ["Figure", "Number"],
                    "rows": [
                        [labels.FIGURES[key], _shown(exploitation[key])]
                        for key in (
                            "children_assessed",
                            "also_missing",
                            "suspects_named",
                            "suspects_not_named",
                            "ceased",
                            "re_referred",
                        )
                    ],
                },
                _pairs(
                    "By their latest level of risk",
                    "Level",
                    exploitation["by_level"],
                    words["exploitation.by_level"],
                ),
                _pairs(
                    "By type of exploitation (their latest assessment's)",
                    "Type",
                    exploitation["by_type"],
                    words["exploitation.by_type"],
                ),
                _pairs(
                    "By every type of exploitation assessed (a child once under each type "
                    "assessed in the period)",
                    "Type",
                    exploitation["children_by_every_type_assessed"],
                    words["exploitation.children_by_every_type_assessed"],
                )
                | {"chart": "exploitation_types"},
                _pairs(
                    "By where the concern came from",
                    "Source",
                    exploitation["by_source_of_identification"],
                    words["exploitation.by_source_of_identification"],
                )
                | {"chart": "sources"},
                _pairs(
                    "By gender",
                    "Gender",
                    exploitation["by_gender"],
                    words["exploitation.by_gender"],
                ),
                _pairs(
                    "By age at the assessment",
                    "Age",
                    exploitation["by_age"],
                    words["exploitation.by_age"],
                ),
                _pairs(
                    "By ethnicity",
                    "Ethnicity",
                    exploitation["by_ethnicity"],
                    words["exploitation.by_ethnicity"],
                ),
                _pairs("By area", "Area", exploitation["by_area"], {}),
                _pairs(
                    "By legal status at the assessment",
                    "Status",
                    exploitation["by_legal_status"],
                    words["exploitation.by_legal_status"],
                ),
                _pairs(
                    "What is known of the suspects (a child may have several of these, or none)",
                    "Suspects",
                    exploitation["suspects"],
                    words["exploitation.suspects"],
                ),
                _pairs(
                    "Indicators answered yes",
                    "Indicator",
                    exploitation["indicators_answered_yes"],
                    words["exploitation.indicators_answered_yes"],
                ),
                _pairs(
                    "Disruption outcomes (those naming a person or place are restricted and "
                    "not counted here)",
                    "Outcome",
                    exploitation["disruption_outcomes"],
                    words["exploitation.disruption_outcomes"],
                ),
            ],
        },
    ]


def charts(report: dict[str, Any]) -> dict[str, str]:
    """The annual report's charts as inline SVG, each beside or above its table."""
    from mace.lib.charts import bar_chart

    statuses = list(report["episodes_by_legal_status"])
    months = [row["month"] for row in report["monthly"]]
    genders = list(report["by_gender"])
    every_type = report["exploitation"]["children_by_every_type_assessed"]
    sources = report["exploitation"]["by_source_of_identification"]

    def n(value: Any) -> float:
        return value if isinstance(value, int | float) else 0

    return {
        "legal_status": bar_chart(
            [labels.LEGAL.get(s, s) for s in statuses],
            {"Episodes": [n(report["episodes_by_legal_status"][s]) for s in statuses]},
            label="Episodes by legal status at the time: the table beside gives the figures",
        ),
        "monthly": bar_chart(
            [m[2:] for m in months],
            {
                "Missing from home": [n(r["missing_from_home"]) for r in report["monthly"]],
                "Missing from care": [n(r["missing_from_care"]) for r in report["monthly"]],
                "Away from placement": [n(r["away_from_placement"]) for r in report["monthly"]],
            },
            label="Children each month by kind of episode: the table beside gives the figures",
            stacked=True,
        ),
        "hours": bar_chart(
            [str(h) for h in range(24)],
            {"Episodes": [n(v) for v in report["episodes_by_hour_started"]]},
            label="Episodes by the hour they started: the table beside gives the figures",
        ),
        "gender": bar_chart(
            [labels.GENDER.get(g, g) for g in genders],
            {
                "Episodes": [n(report["episodes_by_gender"][g]) for g in genders],
                "Children": [n(report["by_gender"][g]) for g in genders],
            },
            label="Episodes and children by gender: the table beside gives the figures",
        ),
        "exploitation_types": bar_chart(
            [labels.SHORT_TYPES.get(t, t) for t in every_type],
            {"Children": [n(v) for v in every_type.values()]},
            label="Children by every type of exploitation assessed: the table beside gives "
            "the figures",
        ),
        "sources": bar_chart(
            [labels.SOURCES.get(k, k) for k in sources],
            {"Children": [n(v) for v in sources.values()]},
            label="Children assessed by where the concern came from: the table beside gives "
            "the figures",
        ),
    }


def as_xlsx(report: dict[str, Any], narrative: dict[str, str] | None = None) -> bytes:
    """A sheet laid out as the report (a heading per section, the partnership's narrative
    under it, its tables, a native bar chart beside the section's first table where the page
    has one), and a sheet of every figure. `narrative`: each section's text by its key
    (`mace.reports.narrative`)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    shown = suppression.marked(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Annual report"
    period = report["period"]
    sheet.append(["Missing children: annual report"])
    sheet["A1"].font = Font(size=16, bold=True)
    sheet.append([f"{period['from']} to {period['to']}, both days included"])
    if report.get("suppressed_below"):
        below = report["suppressed_below"]
        sheet.append(
            [
                f"Numbers from 1 to {below - 1} are shown as <{below}; a second number "
                "hidden beside one as [c]"
            ]
        )
    narrative = narrative or {}

    def write_narrative(key: str) -> None:
        for paragraph in paragraphs(narrative.get(key, "")):
            sheet.append(safe_row([paragraph]))
            cell = sheet.cell(sheet.max_row, 1)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5
            )
            # About 110 characters a line across the merged columns, 15 points a line.
            lines = sum(len(line) // 110 + 1 for line in paragraph.split("\n"))
            sheet.row_dimensions[sheet.max_row].height = 15 * lines

    for key in (INTRODUCTION,):
        if narrative.get(key):
            sheet.append([])
            sheet.append([SECTIONS[key]])
            sheet.cell(sheet.max_row, 1).font = Font(size=14, bold=True)
            write_narrative(key)
    for section in sections(shown):
        sheet.append([])
        sheet.append([section["heading"]])
        sheet.cell(sheet.max_row, 1).font = Font(size=14, bold=True)
        if narrative.get(section["key"]):
            write_narrative(section["key"])
            sheet.append([])
        for number, table in enumerate(section["tables"]):
            sheet.append([table["caption"]])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True, italic=True)
            sheet.append(table["columns"])
            head = sheet.max_row
            for column in range(1, len(table["columns"]) + 1):
                sheet.cell(head, column).font = Font(bold=True)
            for row in table["rows"]:
                sheet.append(safe_row(row))
            drawn = table.get("chart") or (section.get("chart") if number == 0 else None)
            if drawn and table["rows"]:
                chart = BarChart()
                chart.title = table["caption"]
                chart.grouping = "stacked" if drawn == "monthly" else "clustered"
                if drawn == "monthly":
                    chart.overlap = 100
                # Every column of the monthly and gender tables; the first figures' of others.
                last = len(table["columns"]) if drawn in ("monthly", "gender") else 2
                data = Reference(
                    sheet, min_col=2, max_col=last, min_row=head, max_row=sheet.max_row
                )
                cats = Reference(sheet, min_col=1, min_row=head + 1, max_row=sheet.max_row)
                chart.add_data(data, titles_from_data=True)
                chart.set_categories(cats)
                chart.width, chart.height = 16, 7.5
                sheet.add_chart(chart, f"G{head}")
            sheet.append([])
    if narrative.get(CONCLUSIONS):
        sheet.append([])
        sheet.append([SECTIONS[CONCLUSIONS]])
        sheet.cell(sheet.max_row, 1).font = Font(size=14, bold=True)
        write_narrative(CONCLUSIONS)
    sheet.column_dimensions["A"].width = 60
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 18

    figures = book.create_sheet("All figures")
    figures.append(["Figure", f"Value ({period['from']} to {period['to']})"])
    for name, value in labelled_rows(report):
        figures.append(safe_row([name, value]))
    figures.column_dimensions["A"].width = 90
    figures.column_dimensions["B"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def annual_pdf_html(report: dict[str, Any], narrative: dict[str, str] | None = None) -> str:
    """The HTML the annual report's PDF is printed from: the introduction, headed sections
    (each with its narrative, then each chart (SVG) above its tables), and the conclusions."""

    narrative = narrative or {}
    shown = suppression.marked(report)
    return render_to_string(
        "reports/annual_pdf.html",
        {
            "report": report,
            "sections": sections(shown),
            "charts": charts(report),
            "narrative": narrative,
            "introduction": narrative.get(INTRODUCTION, ""),
            "conclusions": narrative.get(CONCLUSIONS, ""),
            "headings": SECTIONS,
        },
    )


def as_pdf(report: dict[str, Any], narrative: dict[str, str] | None = None) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=annual_pdf_html(report, narrative)).write_pdf())


FORMATS: dict[str, Callable[..., bytes]] = {
    "json": as_json,
    "csv": as_csv,
    "xlsx": as_xlsx,
    "pdf": as_pdf,
}


def annual_file(fmt: str, report: dict[str, Any], narrative: dict[str, str]) -> bytes:
    """The annual report in one of FORMATS; the xlsx and the PDF carry the narrative (the
    JSON and CSV are the figures only, for machines)."""
    if fmt == "xlsx":
        return as_xlsx(report, narrative)
    if fmt == "pdf":
        return as_pdf(report, narrative)
    return FORMATS[fmt](report)


# The quarterly dataset (003 A7)


def dataset_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    """Section, item, lead agency, breakdown, value and note: the item's own value first
    (unless it is only a breakdown), then each figure of its breakdown."""
    marks = data.get("suppressed") or {}
    for index, item in enumerate(data["items"]):
        head = [item["section"], item["item"], item["lead_agency"]]
        value, note = item["value"], item.get("note", "")
        mark = marks.get(f"items.{index}.value")
        if value is not None or mark or not item.get("breakdown"):
            shown = mark or (value if item["held"] and value is not None else "")
            yield [*head, "", shown, note]
        for figure, count in rows(item.get("breakdown", {})):
            yield [*head, figure, marks.get(f"items.{index}.breakdown.{figure}", count), ""]


DATASET_HEADER = ["Section", "Item", "Lead agency", "Breakdown", "Value", "Note"]


def labelled_dataset_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    """`dataset_rows`, each breakdown named in words (Gender: Female, the indicator's words)."""
    indicators = labels.indicator_names()
    themes = voice.theme_names()
    for row in dataset_rows(data):
        yield [*row[:3], labels.dataset_breakdown_label(row[3], indicators, themes), *row[4:]]


def dataset_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DATASET_HEADER)
    for row in labelled_dataset_rows(data):
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8-sig")


def dataset_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Dataset {data['quarter']}"
    sheet.append(DATASET_HEADER)
    for row in labelled_dataset_rows(data):
        sheet.append(safe_row(row))
    for column, width in zip("ABCDEF", (40, 60, 16, 24, 10, 50), strict=True):
        sheet.column_dimensions[column].width = width
    if data.get("voice_of_the_child"):
        _voice_sheet(book, data["voice_of_the_child"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _voice_sheet(book: Any, collations: list[dict[str, Any]]) -> None:
    """The child's voice over time: the four quarters' tables side by side, and a native
    bar chart of each feeling's averages."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet = book.create_sheet("Voice of the child")
    sheet.append(["The child's voice over time: return home interviews, anonymised"])
    sheet["A1"].font = Font(size=14, bold=True)
    for table in voice.tables(collations):
        sheet.append([])
        sheet.append([table["caption"]])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, italic=True)
        sheet.append(table["columns"])
        for row in table["rows"]:
            sheet.append(safe_row(row))
    # The averages as numbers (a hidden one left empty), for the charts.
    for feeling, words in voice.FEELINGS.items():
        sheet.append([])
        sheet.append([f"{words}: average out of 10"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, italic=True)
        sheet.append(["When", *[c["label"] for c in collations]])
        head = sheet.max_row
        for when, when_words in voice.WHEN.items():
            name = f"{feeling}_{when}"
            sheet.append(
                [
                    when_words,
                    *[
                        None
                        if f"average.{name}" in (c.get("suppressed") or {})
                        else c["average"][name]
                        for c in collations
                    ],
                ]
            )
        chart = BarChart()
        chart.title = f"{words} (average out of 10)"
        data = Reference(
            sheet, min_col=2, max_col=1 + len(collations), min_row=head, max_row=sheet.max_row
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=head + 1, max_row=sheet.max_row))
        chart.width, chart.height = 16, 7.5
        sheet.add_chart(chart, f"H{head}")
    sheet.column_dimensions["A"].width = 60
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 16


def dataset_pdf_html(data: dict[str, Any]) -> str:
    """The HTML the dataset's PDF is printed from, with the child's voice over time (its
    tables and charts) after the items."""
    collations = data.get("voice_of_the_child") or []
    return render_to_string(
        "reports/dataset_pdf.html",
        {
            "data": data,
            "rows": list(labelled_dataset_rows(data)),
            "voice_tables": voice.tables(collations) if collations else [],
            "voice_charts": voice.charts(collations) if collations else {},
        },
    )


def dataset_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=dataset_pdf_html(data)).write_pdf())


DATASET_FORMATS = {"json": as_json, "csv": dataset_csv, "xlsx": dataset_xlsx, "pdf": dataset_pdf}
