"""Writes of the reports app: the annual report's narrative (issue 19 point 7). Atomic and
audited, section by section, with the text before and after."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mace.access.policy import can_write_report_narrative, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.reports.annual import Period
from mace.reports.models import ReportNarrative
from mace.reports.narrative import MAX_CHARACTERS, SECTIONS


def _tidy(text: str) -> str:
    """The text as kept: line endings made one kind, blank space at either end dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def report_narrative_save(*, actor: User, period: Period, texts: dict[str, str]) -> list[str]:
    """Keep the annual report's narrative for `period`: each section given is set to its
    text, a blank one removed; sections not given are left as they are. Returns the keys of
    the sections that changed. Every text is checked first; any error changes nothing, and
    the ValidationError names each section by its key."""
    require(can_write_report_narrative(actor))
    errors: dict[str, str] = {}
    for key, text in texts.items():
        if key not in SECTIONS:
            errors[key] = f"There is no section “{key}” in the annual report"
        elif len(_tidy(text)) > MAX_CHARACTERS:
            errors[key] = (
                f"{SECTIONS[key]} must be {MAX_CHARACTERS:,} characters or fewer "
                f"(it has {len(_tidy(text))})"
            )
    if errors:
        raise ValidationError(errors)
    held = {
        row.section: row
        for row in ReportNarrative.objects.select_for_update().filter(
            report=ReportNarrative.Report.ANNUAL,
            period_start=period.start,
            period_end=period.end,
        )
    }
    changed = []
    for key, text in texts.items():
        text = _tidy(text)
        row = held.get(key)
        before = row.text if row else ""
        if text == before:
            continue
        if not text:
            assert row is not None
            row.delete()
            action = AuditEvent.Action.DELETE
        elif row is None:
            row = ReportNarrative.objects.create(
                period_start=period.start,
                period_end=period.end,
                section=key,
                text=text,
                updated_by=actor,
            )
            action = AuditEvent.Action.CREATE
        else:
            row.text, row.updated_by = text, actor
            row.save(update_fields=["text", "updated_by", "updated_at"])
            action = AuditEvent.Action.CHANGE
        audit_record(
            actor=actor,
            action=action,
            object_type="report.narrative",
            object_id=f"annual:{period.start}..{period.end}:{key}",
            summary=f"The annual report's narrative, {SECTIONS[key]}, "
            f"{period.start:%-d %b %Y} to {period.end:%-d %b %Y}",
            before={"text": before} if before else None,
            after={"text": text} if text else None,
        )
        changed.append(key)
    return changed
