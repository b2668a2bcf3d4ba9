"""The annual report as JSON, CSV, xlsx and PDF, and its published form, in which small
numbers are suppressed (SPEC C9: fewer than REPORT_SUPPRESS_BELOW, default 5)."""

import copy
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from mace.lib.spreadsheet import safe_row

SUPPRESSED = "<5"
# Each percentage, and the count it is a share of: suppressed together.
PERCENT_OF = {
    "pct_episodes_by_legal_status": "episodes_by_legal_status",
    "pct_children_with_more_than_one_episode": "children_with_more_than_one_episode",
    "pct_episodes_18h_or_less": "episodes_18h_or_less",
}


def _threshold() -> int:
    return int(settings.REPORT_SUPPRESS_BELOW)


def _small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < _threshold()


def _suppress(value: Any) -> Any:
    if _small(value):
        return None
    if isinstance(value, dict):
        return {key: _suppress(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_suppress(item) for item in value]
    return value


def published(report: dict[str, Any]) -> dict[str, Any]:
    """Counts from 1 to below the threshold become null, and so do their percentages."""
    out: dict[str, Any] = {}
    for key, value in report.items():
        out[key] = value if key == "period" else _suppress(copy.deepcopy(value))
    for pct_key, count_key in PERCENT_OF.items():
        counts, pcts = report.get(count_key), out.get(pct_key)
        if isinstance(counts, dict) and isinstance(pcts, dict):
            out[pct_key] = {k: (None if _small(counts.get(k)) else v) for k, v in pcts.items()}
        elif _small(counts):
            out[pct_key] = None
    out["suppressed_below"] = _threshold()
    return out


def as_json(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()


def rows(report: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(figure, value) pairs, nested keys joined with dots, lists by position or month."""
    for key, value in report.items():
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


def _shown(value: Any) -> Any:
    return SUPPRESSED if value is None else value


def as_csv(report: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])
    for name, value in rows(report):
        writer.writerow(safe_row([name, _shown(value)]))
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Annual report"
    sheet.append(["figure", "value"])
    for name, value in rows(report):
        sheet.append(safe_row([name, _shown(value)]))
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/annual_pdf.html",
        {"report": report, "rows": [(n, _shown(v)) for n, v in rows(report)]},
    )
    return bytes(HTML(string=html).write_pdf())


FORMATS = {"json": as_json, "csv": as_csv, "xlsx": as_xlsx, "pdf": as_pdf}


# The quarterly dataset (003 A7)


def dataset_published(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for item in out["items"]:
        item["value"] = _suppress(item["value"])
        if "breakdown" in item:
            item["breakdown"] = _suppress(item["breakdown"])
    out["suppressed_below"] = _threshold()
    return out


def dataset_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    for item in data["items"]:
        note = item.get("note", "")
        if item["value"] is not None or not item.get("breakdown"):
            shown = item["value"] if item["held"] and not (item["value"] is None and note) else ""
            yield [
                item["section"],
                item["item"],
                item["lead_agency"],
                "",
                _shown(shown) if shown != "" else "",
                note,
            ]
        for figure, value in rows(item.get("breakdown", {})):
            yield [item["section"], item["item"], item["lead_agency"], figure, _shown(value), ""]


DATASET_HEADER = ["section", "item", "lead agency", "breakdown", "value", "note"]


def dataset_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DATASET_HEADER)
    for row in dataset_rows(data):
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8-sig")


def dataset_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Dataset {data['quarter']}"
    sheet.append(DATASET_HEADER)
    for row in dataset_rows(data):
        sheet.append(safe_row(row))
    for column, width in zip("ABCDEF", (40, 60, 16, 24, 10, 50), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dataset_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/dataset_pdf.html", {"data": data, "rows": list(dataset_rows(data))}
    )
    return bytes(HTML(string=html).write_pdf())


DATASET_FORMATS = {"json": as_json, "csv": dataset_csv, "xlsx": dataset_xlsx, "pdf": dataset_pdf}
