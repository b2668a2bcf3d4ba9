"""Recording strategy meetings (003 §12, §55) and supervision discussions (T16)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from mace.access.policy import can_edit_child, can_record_supervision, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, snapshot
from mace.episodes.models import Episode
from mace.meetings.models import MeetingAction, StrategyMeeting, SupervisionDiscussion
from mace.people.models import Child
from mace.worklist.engine import sync_child


@dataclass(frozen=True)
class ActionInput:
    heading: str
    description: str
    due_date: datetime.date
    owner: User | None = None
    owner_name: str = ""


@transaction.atomic
def strategy_meeting_record(
    *,
    actor: User,
    child: Child,
    reason: str,
    held_at: datetime.datetime,
    attendees: str,
    s47_enquiry: bool,
    episode: Episode | None = None,
    information_shared: str = "",
    decision_notes: str = "",
    safety_plan: str = "",
    follow_up_date: datetime.date | None = None,
    actions: Iterable[ActionInput] = (),
) -> StrategyMeeting:
    """The strategy meeting record; it satisfies T3 and T6 for its episode."""
    require(can_edit_child(actor, child))
    if episode is not None and episode.child_id != child.pk:
        raise ValidationError({"episode": "That episode is another child's"})
    if follow_up_date is not None and follow_up_date < held_at.date():
        raise ValidationError({"follow_up_date": "The follow-up must be after the meeting"})
    meeting = StrategyMeeting(
        child=child,
        episode=episode,
        reason=reason,
        held_at=held_at,
        attendees=attendees.strip(),
        information_shared=information_shared,
        s47_enquiry=s47_enquiry,
        decision_notes=decision_notes,
        safety_plan=safety_plan,
        follow_up_date=follow_up_date,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    for action in actions:
        row = MeetingAction(
            meeting=meeting,
            heading=action.heading,
            description=action.description,
            owner=action.owner,
            owner_name=action.owner_name,
            due_date=action.due_date,
        )
        row.full_clean()
        row.save()
    after = snapshot(meeting)
    after["actions"] = [
        {"heading": a.heading, "description": a.description, "due": a.due_date.isoformat()}
        for a in actions
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=meeting,
        child_id=child.public_id,
        summary="Strategy meeting recorded",
        after=after,
    )
    sync_child(child)
    return meeting


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    child: Child,
    held_on: datetime.date,
    notes: str = "",
    worker: User | None = None,
) -> SupervisionDiscussion:
    """A manager records that the child was discussed in supervision (T16)."""
    require(can_record_supervision(actor, child))
    discussion = SupervisionDiscussion(
        child=child,
        held_on=held_on,
        manager=actor,
        worker=worker or child.allocated_worker,
        notes=notes,
    )
    discussion.full_clean()
    discussion.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=discussion,
        child_id=child.public_id,
        summary="Discussed in supervision",
        after=snapshot(discussion),
    )
    sync_child(child)
    return discussion
