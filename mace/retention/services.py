"""Retention's writes (issue 20 point 1): the monthly listing, a manager's decisions and the
purge. Each is atomic and audited; the purge leaves a tombstone with opaque ids only."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mace.access.policy import can_decide_retention, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, audit_redact
from mace.education.models import CMECase
from mace.intelligence.models import IntelligenceNote
from mace.lib.days import add_months, day_of, month_end
from mace.people.models import Child, LegalStatus, LegalStatusKind
from mace.retention import purge
from mace.retention.models import RetentionReview, Rule
from mace.retention.rules import child_due, earliest_birth_due_by, intelligence_due, periods

REASON_REQUIRED = "Enter the reason for keeping the record"
NEXT_REVIEW_REQUIRED = "Enter the date of the next review"
NEXT_REVIEW_IN_FUTURE = "The date of the next review must be after today"
PURGE_REASON_REQUIRED = "Enter the reason for deleting the record"
NOT_OPEN = "This review has already been decided"


def _waiting_subjects(until: datetime.date, field: str) -> set[int]:
    """Subjects with an open review, or a decision whose next review is after `until`."""
    reviews = RetentionReview.objects.filter(**{f"{field}__isnull": False})
    open_ = reviews.filter(status=RetentionReview.Status.OPEN)
    later = reviews.filter(
        status__in=[RetentionReview.Status.KEPT, RetentionReview.Status.LATER],
        next_review_on__gt=until,
    )
    return set(open_.values_list(field, flat=True)) | set(later.values_list(field, flat=True))


def retention_reviews_list(*, today: datetime.date | None = None) -> int:
    """The monthly listing: every child and intelligence note due for deletion by the end of
    this month, and not already listed or waiting for a later review, gets an open review.
    Idempotent: run again (the scheduled checks run it every time), it lists nothing new.
    Returns how many reviews it opened."""
    today = today or timezone.localdate()
    until = month_end(today)
    p = periods()
    children = Child.objects.filter(
        merged_into__isnull=True, date_of_birth__lte=earliest_birth_due_by(until, p)
    )
    looked_after = set(
        LegalStatus.objects.filter(child__in=children, status=LegalStatusKind.CLA).values_list(
            "child_id", flat=True
        )
    )
    missing_education = set(
        CMECase.objects.filter(child__in=children).values_list("child_id", flat=True)
    )
    waiting = _waiting_subjects(until, "child")
    new: list[RetentionReview] = []
    for pk, born in children.values_list("pk", "date_of_birth"):
        due = child_due(
            date_of_birth=born,
            looked_after=pk in looked_after,
            missing_education=pk in missing_education,
            p=p,
        )
        if due.due_on <= until and pk not in waiting:
            new.append(
                RetentionReview(child_id=pk, rule=due.rule, due_on=due.due_on, listed_on=today)
            )
    # A first cut: a month is at most 31 days; `intelligence_due` decides.
    recorded_by = timezone.make_aware(
        datetime.datetime.combine(add_months(until, -p.intelligence_months), datetime.time())
    ) + datetime.timedelta(days=4)
    waiting = _waiting_subjects(until, "note")
    for pk, recorded_at in IntelligenceNote.objects.filter(recorded_at__lt=recorded_by).values_list(
        "pk", "recorded_at"
    ):
        due = intelligence_due(recorded_on=day_of(recorded_at), p=p)
        if due.due_on <= until and pk not in waiting:
            new.append(
                RetentionReview(note_id=pk, rule=due.rule, due_on=due.due_on, listed_on=today)
            )
    with transaction.atomic():
        # Two runs at once: the partial unique constraints keep one open review a subject.
        created = RetentionReview.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


def _open_review(actor: User, review: RetentionReview) -> RetentionReview:
    require(can_decide_retention(actor, review))
    locked = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != RetentionReview.Status.OPEN:
        raise ValidationError(NOT_OPEN)
    return locked


def _audit_decision(actor: User, review: RetentionReview, summary: str) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=review,
        child_id=review.child.public_id if review.child else None,
        summary=summary,
        before={"status": RetentionReview.Status.OPEN.value},
        after={
            "status": review.status,
            "rule": review.rule,
            "due_on": review.due_on.isoformat(),
            "next_review_on": review.next_review_on.isoformat() if review.next_review_on else None,
            "reason": review.reason,
        },
    )


def _check_next_review(next_review_on: datetime.date | None) -> datetime.date:
    if next_review_on is None:
        raise ValidationError({"next_review_on": NEXT_REVIEW_REQUIRED})
    if next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": NEXT_REVIEW_IN_FUTURE})
    return next_review_on


@transaction.atomic
def retention_review_keep(
    *, actor: User, review: RetentionReview, reason: str, next_review_on: datetime.date | None
) -> RetentionReview:
    """Keep the record, for a reason, until a next review (listed again then)."""
    locked = _open_review(actor, review)
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = [REASON_REQUIRED]
    try:
        _check_next_review(next_review_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    locked.status = RetentionReview.Status.KEPT
    locked.reason = reason
    locked.next_review_on = next_review_on
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    _audit_decision(actor, locked, f"Retention review: kept until {next_review_on:%-d %B %Y}")
    return locked


@transaction.atomic
def retention_review_later(
    *, actor: User, review: RetentionReview, next_review_on: datetime.date | None, reason: str = ""
) -> RetentionReview:
    """Put the decision off until a date (listed again then)."""
    locked = _open_review(actor, review)
    locked.next_review_on = _check_next_review(next_review_on)
    locked.status = RetentionReview.Status.LATER
    locked.reason = reason.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    _audit_decision(
        actor, locked, f"Retention review: to be reviewed on {next_review_on:%-d %B %Y}"
    )
    return locked


def _personal_details(child: Child) -> list[str]:
    """What of the child must not be in a reason kept after the purge."""
    born = child.date_of_birth
    words = [child.first_name, child.last_name, child.preferred_name, child.reference]
    words += [born.isoformat(), f"{born:%d/%m/%Y}", f"{born.day}/{born.month}/{born.year}"]
    words += list(child.aliases.values_list("name", flat=True))
    return [word for word in words if word and len(word) > 1]


@dataclass(frozen=True)
class PurgePreview:
    """What a purge would delete, for the confirmation page: (record type, count)."""

    counts: list[tuple[str, int]]


def purge_preview(*, actor: User, review: RetentionReview) -> PurgePreview:
    require(can_decide_retention(actor, review))
    if review.child is not None:
        return PurgePreview(purge.counts(purge.rows_to_purge(review.child)))
    return PurgePreview([("Intelligence note", 1)])


@transaction.atomic
def retention_purge(*, actor: User, review: RetentionReview, reason: str) -> str:
    """Delete the record under review, and leave a tombstone in the audit trail.

    A child: the child, every record merged into them and every row with a path of foreign
    keys to them in any app (`purge.rows_to_purge`), in this one transaction; the values
    held about them in earlier audit events are redacted (`audit.services.audit_redact`);
    the tombstone names the rule, the date it fell due, who decided, when, and how many rows
    of each type went, with the child's opaque id only. An intelligence note: the note, and
    the values of its own audit events. Returns the tombstone's summary."""
    locked = _open_review(actor, review)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": PURGE_REASON_REQUIRED})
    rule = Rule(locked.rule)
    when = timezone.localdate()
    summary = (
        f"Record purged under retention rule '{rule.label}', decided by {actor.username} "
        f"on {when.isoformat()}"
    )
    if locked.child is not None:
        child = Child.objects.select_for_update().get(pk=locked.child.pk)
        rows = purge.rows_to_purge(child)
        purged_children = list(Child.objects.filter(pk__in=rows[Child]))
        details = [word for each in purged_children for word in _personal_details(each)]
        if any(word.lower() in reason.lower() for word in details):
            raise ValidationError(
                {
                    "reason": "The reason is kept after the record is deleted: leave out the "
                    "child's name, date of birth and reference"
                }
            )
        counts = dict(purge.counts(rows))
        public_ids = [each.public_id for each in purged_children]
        purge.delete_rows(rows)
        audit_redact(child_ids=public_ids)
        object_type, object_id, child_id = "people.child", str(child.public_id), child.public_id
    else:
        assert locked.note is not None
        note = locked.note
        object_type, object_id, child_id = (
            "intelligence.intelligencenote",
            str(note.public_id),
            None,
        )
        if note.child is not None:
            child_id = note.child.public_id
        counts = {"Intelligence note": 1}
        note.delete()  # its reviews go with it
        audit_redact(records=[(object_type, object_id)])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        summary=summary,
        after={
            "rule": rule.value,
            "due_on": locked.due_on.isoformat(),
            "decided_by": actor.username,
            "decided_on": when.isoformat(),
            "review": str(locked.public_id),
            "deleted": counts,
        },
        reason=reason,
    )
    return summary
