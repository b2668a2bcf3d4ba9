"""The subject access export as files: `subject-access.json` (every record, machine
readable), `subject-access.pdf` (the same, to read, with page numbers and the protective
marking as the documents have it), the director-to-director letters MACE produced for the
child, and a note saying what the zip holds. MACE holds no uploaded files (no photographs,
no attachments); the documents it holds are the ones it produces from the record.
"""

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from mace.documents import render as documents
from mace.documents.letterhead import letterhead
from mace.documents.models import DirectorLetter
from mace.people.models import ChildPhotograph
from mace.subject_access.collector import (
    NOT_RECORDED,
    SubjectAccess,
    long_date,
    long_date_time,
)

FORMAT = "MACE subject access export, version 1"
JSON_NAME = "subject-access.json"
PDF_NAME = "subject-access.pdf"
README_NAME = "README.txt"
FOR_REVIEW = "For redaction review"


def as_json(export: SubjectAccess) -> dict[str, Any]:
    child = export.child
    marking = letterhead().protective_marking
    return {
        "format": FORMAT,
        "protective_marking": marking,
        "subject": {
            "reference": child.reference,
            "public_id": str(child.public_id),
            "name": child.full_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "merged_records": [c.reference for c in export.merged],
        },
        "generated_at": export.generated_at.isoformat(),
        "generated_by": export.actor.name_role_and_agency,
        "intelligence": {
            "included": export.intelligence_included,
            "note": export.intelligence_note,
        },
        "record_counts": export.counts,
        "for_redaction_review": [
            {
                "section": item.section,
                "record_type": item.record.type,
                "record_id": item.record.id,
                "record": item.record.title,
                "field": item.field,
                "reason": item.reason,
            }
            for item in export.review_items
        ],
        "sections": [
            {
                "heading": section.heading,
                "model": section.key,
                "count": len(section.records),
                "records": [
                    {
                        "type": record.type,
                        "model": record.model,
                        "id": record.id,
                        "title": record.title,
                        "for_redaction_review": record.for_review,
                        "redaction_reasons": record.review,
                        "fields": [
                            {
                                "name": f.name,
                                "label": f.label,
                                "value": f.value,
                                "in_words": f.text,
                                "for_redaction_review": bool(f.review),
                                "redaction_reason": f.review,
                            }
                            for f in record.fields
                        ],
                    }
                    for record in section.records
                ],
            }
            for section in export.sections
        ],
    }


def as_html(export: SubjectAccess) -> str:
    child = export.child
    audit = export.sections[-1]
    return render_to_string(
        "subject_access/pdf.html",
        {
            "export": export,
            "child": child,
            "sender": letterhead(),
            "date_of_birth": long_date(child.date_of_birth),
            "generated": long_date_time(export.generated_at),
            "records": export.sections[:-1],
            "audit": audit,
            "review_items": export.review_items,
            "for_review": FOR_REVIEW,
            "not_recorded": NOT_RECORDED,
        },
    )


def as_pdf(export: SubjectAccess) -> bytes:
    # Imported here: WeasyPrint needs Pango, and only PDFs need WeasyPrint.
    from weasyprint import HTML

    return bytes(HTML(string=as_html(export)).write_pdf())


def _letters(export: SubjectAccess) -> list[tuple[str, bytes]]:
    letters = DirectorLetter.objects.filter(child__in=[export.child, *export.merged]).order_by(
        "prepared_at", "pk"
    )
    files = []
    for number, letter in enumerate(letters.select_related("child", "placing_authority"), 1):
        day = letter.prepared_at.date()
        content = documents.director_letter_pdf(letter, discussed_on=day, dated=day)
        files.append((f"documents/director-letter-{number}-{day.isoformat()}.pdf", content))
    return files


def _photographs(export: SubjectAccess) -> list[tuple[str, bytes]]:
    """The child's photographs (and those of records merged into it), oldest first, named by
    the day each was taken; the PDF's "Photographs" section says who took each."""
    photographs = ChildPhotograph.objects.filter(child__in=[export.child, *export.merged]).order_by(
        "taken_on", "uploaded_at", "pk"
    )
    files = []
    for number, photograph in enumerate(photographs, 1):
        with photograph.image.open("rb") as image:
            content = image.read()
        files.append(
            (f"photographs/photograph-{number}-{photograph.taken_on.isoformat()}.jpg", content)
        )
    return files


def _readme(
    export: SubjectAccess, documents_held: list[str], photographs_held: Sequence[str] = ()
) -> str:
    child = export.child
    review = len(export.review_items)
    lines = [
        f"Subject access export for {child.reference}, made {long_date_time(export.generated_at)}",
        f"by {export.actor.name_role_and_agency}.",
        "",
        f"{PDF_NAME}: everything MACE holds about the child, to read, a section a record type.",
        f"{JSON_NAME}: the same records, machine readable: each with its type, its fields,",
        "  their values as held and in words.",
    ]
    if documents_held:
        lines.append("documents/: the director-to-director letters MACE produced, as prepared.")
    if photographs_held:
        lines.append("photographs/: the child's photographs as MACE keeps them (JPEG).")
    lines += [
        "",
        f"{review} items are marked '{FOR_REVIEW}' (intelligence and third-party",
        "information). Review them before anything is disclosed: the list is at the top of",
        "the PDF and under 'for_redaction_review' in the JSON.",
    ]
    if export.intelligence_note:
        lines += ["", export.intelligence_note]
    marking = letterhead().protective_marking
    if marking:
        lines = [marking, "", *lines]
    return "\n".join(lines) + "\n"


def as_zip(export: SubjectAccess) -> bytes:
    import json

    letters = _letters(export)
    photographs = _photographs(export)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            README_NAME,
            _readme(export, [name for name, _ in letters], [name for name, _ in photographs]),
        )
        archive.writestr(
            JSON_NAME, json.dumps(as_json(export), ensure_ascii=False, indent=2) + "\n"
        )
        archive.writestr(PDF_NAME, as_pdf(export))
        for name, content in [*letters, *photographs]:
            archive.writestr(name, content)
    return out.getvalue()
