"""Preparing and exporting documents (SPEC C10): checked, audited, and the worklist in step.

Every document that leaves MACE is an export in the audit trail (C11).
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mace.access import policy
from mace.access.policy import can_prepare_director_letter
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, snapshot
from mace.documents import render
from mace.documents.models import DirectorLetter
from mace.documents.selectors import director_letter_eligibility
from mace.interviews.models import ReturnInterview
from mace.lib.days import day_of
from mace.people.models import Child
from mace.worklist.engine import sync_child

LetterFormat = Literal["docx", "pdf"]


def can_export_documents(user: User, child: Child) -> bool:
    """Anyone who may open the child's record may print its documents; each is logged."""
    return bool(policy.can_view_child(user, child))


@transaction.atomic
def director_letter_prepare(*, actor: User, child: Child) -> DirectorLetter:
    """Prepare the director-to-director letter (003 §15, A8) and close T11.

    Only for a child whose current placement is made by another authority, with at least
    DIRECTOR_LETTER_EPISODES episodes while placed by that authority; once per authority
    and episode count, so a second press of the button makes no second letter. The
    child's row is locked, so two people pressing at once make one letter.
    """
    policy.require(can_prepare_director_letter(actor, child))
    Child.objects.select_for_update().get(pk=child.pk)
    eligibility = director_letter_eligibility(child)
    if not eligibility.eligible:
        raise ValidationError(eligibility.reason)
    authority = eligibility.placing_authority
    assert authority is not None
    letter = DirectorLetter.objects.create(
        child=child,
        placing_authority=authority,
        episode_count=eligibility.episode_count,
        prepared_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=letter,
        child_id=child.public_id,
        summary=f"Prepared the director-to-director letter to {authority.name}",
        after=snapshot(letter),
    )
    sync_child(child)
    return letter


@transaction.atomic
def director_letter_mark_sent(
    *, actor: User, letter: DirectorLetter, sent_at: datetime.datetime
) -> DirectorLetter:
    """Record when the signed letter was sent to the placing authority's director."""
    policy.require(can_prepare_director_letter(actor, letter.child))
    letter = DirectorLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.sent_at is not None:
        raise ValidationError("This letter has already been marked as sent")
    if sent_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"sent_on": "The date sent must be today or in the past"})
    if day_of(sent_at) < day_of(letter.prepared_at):
        raise ValidationError(
            {"sent_on": "The date sent must be the same as or after the date it was prepared"}
        )
    before = snapshot(letter)
    letter.sent_at = sent_at
    letter.save(update_fields=["sent_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=letter,
        child_id=letter.child.public_id,
        summary="Marked the director-to-director letter as sent",
        before={"sent_at": before["sent_at"]},
        after={"sent_at": snapshot(letter)["sent_at"]},
    )
    return letter


def director_letter_export(
    *,
    actor: User,
    letter: DirectorLetter,
    file_format: LetterFormat,
    discussed_on: datetime.date | None = None,
) -> bytes:
    """The letter as a Word document or a PDF, logged as an export."""
    policy.require(can_export_documents(actor, letter.child))
    if file_format == "docx":
        content = render.director_letter_docx(letter, discussed_on=discussed_on)
    else:
        content = render.director_letter_pdf(letter, discussed_on=discussed_on)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=letter,
        child_id=letter.child.public_id,
        summary=f"Exported the director-to-director letter ({file_format.upper()})",
    )
    return content


def missing_person_profile_export(*, actor: User, child: Child) -> bytes:
    """The one-page Philomena Protocol profile for the police, logged as an export."""
    policy.require(can_export_documents(actor, child))
    content = render.missing_person_profile_pdf(child, actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=child,
        child_id=child.public_id,
        summary="Exported the missing-person profile (PDF)",
    )
    return content


def return_interview_export(*, actor: User, interview: ReturnInterview) -> bytes:
    """The printable record of the return home interview (003 A4), logged as an export. For
    those who may see what the child said (`policy.can_see_return_interview`), as the
    episode page shows it."""
    child = interview.episode.child
    policy.require(policy.can_see_return_interview(actor, child))
    content = render.return_interview_pdf(interview)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=interview,
        child_id=child.public_id,
        summary="Exported the return home interview record (PDF)",
    )
    return content
