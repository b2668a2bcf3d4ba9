"""The annual report and the quarterly dataset as JSON, CSV, xlsx and PDF. A suppressed report
(mace.reports.suppression) names its hidden figures in `suppressed`; each file shows them as
that says ("<5", "[c]")."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string

from mace.lib.spreadsheet import safe_row
from mace.reports import labels


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


def as_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Annual report"
    period = report["period"]
    sheet.append(["Figure", f"Value ({period['from']} to {period['to']})"])
    for name, value in labelled_rows(report):
        sheet.append(safe_row([name, value]))
    sheet.column_dimensions["A"].width = 90
    sheet.column_dimensions["B"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def annual_pdf_html(report: dict[str, Any]) -> str:
    """The HTML the annual report's PDF is printed from."""
    return render_to_string(
        "reports/annual_pdf.html",
        {"report": report, "rows": list(labelled_rows(report))},
    )


def as_pdf(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=annual_pdf_html(report)).write_pdf())


FORMATS = {"json": as_json, "csv": as_csv, "xlsx": as_xlsx, "pdf": as_pdf}


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
    for row in dataset_rows(data):
        yield [*row[:3], labels.dataset_breakdown_label(row[3], indicators), *row[4:]]


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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dataset_pdf_html(data: dict[str, Any]) -> str:
    """The HTML the dataset's PDF is printed from."""
    return render_to_string(
        "reports/dataset_pdf.html", {"data": data, "rows": list(labelled_dataset_rows(data))}
    )


def dataset_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=dataset_pdf_html(data)).write_pdf())


DATASET_FORMATS = {"json": as_json, "csv": dataset_csv, "xlsx": dataset_xlsx, "pdf": dataset_pdf}
