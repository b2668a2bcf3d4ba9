"""Making the subject access export (SPEC C11), checked and audited as an export."""

from django.core.exceptions import ValidationError

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.people.models import Child
from mace.subject_access import collector, render


def subject_access_export(*, actor: User, child: Child) -> bytes:
    """The zip of everything held about the child (`render.as_zip`), for a manager who may
    open the record now (`policy.can_export_subject_access`), logged as an export with how
    many records of each type it holds and how many are for redaction review."""
    policy.require(policy.can_export_subject_access(actor, child))
    if child.merged_into_id is not None:
        kept = Child.objects.get(pk=child.merged_into_id)
        raise ValidationError(
            f"This record was merged into {kept.reference}. Make the export from "
            f"{kept.reference}: it includes this record's history"
        )
    export = collector.collect(child, actor=actor)
    content = render.as_zip(export)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=child,
        child_id=child.public_id,
        summary="Exported the subject access export (zip of PDF and JSON)",
        after={
            "records": export.record_count,
            "for_redaction_review": len(export.review_items),
            "intelligence_included": export.intelligence_included,
            "merged_records": [c.reference for c in export.merged],
            "record_counts": {k: v for k, v in export.counts.items() if v},
        },
    )
    return content
