"""Recording panels (SPEC C7, 003 A5 and A6): the meeting for a date, its agenda built from
the records, attendance, each child's discussion with the agencies' views of risk and the
actions agreed, and the minutes agreed by the chair and circulated (T21).

Services in the house style: keyword-only, atomic, asking access.policy, validating, and
writing the audit entry in the same transaction; actions reach the worklist through the
engine (rule ACT), the minutes through `sync_meeting` (T21).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.meetings import agenda, cadence
from mace.meetings.models import (
    AgencyRiskView,
    AgendaItem,
    Attendance,
    MeetingAction,
    PanelAction,
    PanelMeeting,
    PanelSeries,
    Section,
    TransitionReferral,
)
from mace.people.models import Child
from mace.worklist.engine import sync_child, sync_meeting
from mace.worklist.notify import notify

SECTION_ORDER = {code: n for n, code in enumerate(Section.values)}


@dataclass(frozen=True)
class RiskViewInput:
    agency: Agency
    level: str
    note: str = ""


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User
    due_date: datetime.date


def _audit(actor: User, meeting: PanelMeeting, summary: str) -> None:
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, obj=meeting, summary=summary)


@transaction.atomic
def panel_meeting_open(*, actor: User, series: PanelSeries, day: datetime.date) -> PanelMeeting:
    """The series' meeting on that day, made the first time someone opens it."""
    policy.require(policy.can_run_panel(actor, series))
    if day not in cadence.meeting_dates(series, day, day):
        raise ValidationError(
            {"day": f"{series.name} does not meet on {day:%-d %B %Y}: choose one of its dates"}
        )
    meeting, created = PanelMeeting.objects.get_or_create(
        series=series, date=day, defaults={"starts_at": cadence.starts_at(day, series.time)}
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=meeting,
            summary=f"Opened the meeting of {day:%-d %B %Y}",
        )
    return meeting


def _locked(meeting_id: int) -> PanelMeeting:
    """The meeting as it is now, locked for this transaction."""
    return PanelMeeting.objects.select_for_update().select_related("series").get(pk=meeting_id)


MINUTES_AGREED = "The minutes of this meeting are agreed: it can no longer change"
MINUTES_NOT_HELD = "Record who attended or a discussion before agreeing the minutes"
MINUTES_NOT_WRITTEN = "Write the minutes before they are agreed"


def _not_closed(meeting: PanelMeeting) -> None:
    if meeting.minutes_agreed_at is not None:
        raise ValidationError(MINUTES_AGREED)


@transaction.atomic
def agenda_build(*, actor: User, meeting: PanelMeeting) -> int:
    """Build (or rebuild) the agenda from the records as they stood at the meeting's
    start. Children already discussed stay; those no longer due and not yet discussed go.
    Returns the number of children on the agenda."""
    meeting = PanelMeeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    policy.require(policy.can_run_panel(actor, meeting.series))
    _not_closed(meeting)
    wanted = agenda.build(meeting.series, meeting.date)
    existing = {(i.section, i.child_id): i for i in meeting.items.all()}
    keep: set[tuple[str, int]] = set()
    for section, reasons in wanted.items():
        for child_id, why in reasons.items():
            key = (section, child_id)
            keep.add(key)
            item = existing.get(key)
            if item is None:
                AgendaItem.objects.create(
                    meeting=meeting, section=section, child_id=child_id, reasons=why
                )
            elif item.reasons != why:
                item.reasons = why
                item.save(update_fields=["reasons", "updated_at"])
    for key, item in existing.items():
        if key not in keep and item.discussed_at is None:
            item.delete()
    meeting.agenda_built_at = timezone.now()
    meeting.save(update_fields=["agenda_built_at", "updated_at"])
    count = meeting.items.count()
    _audit(actor, meeting, f"Built the agenda: {count} items")
    return count


@transaction.atomic
def attendee_add(
    *,
    actor: User,
    meeting: PanelMeeting,
    agency: Agency,
    user: User | None = None,
    name: str = "",
    status: str = Attendance.Status.PRESENT,
) -> Attendance:
    meeting = _locked(meeting.pk)
    policy.require(policy.can_run_panel(actor, meeting.series))
    _not_closed(meeting)
    name = name.strip()
    if user is None and not name:
        raise ValidationError({"user": "Choose someone with a MACE account, or type a name"})
    if user is not None and name:
        raise ValidationError(
            {"name": "Choose someone with a MACE account or type a name, not both"}
        )
    if user is not None and meeting.attendance.filter(user=user).exists():
        raise ValidationError({"user": f"{user.display_name} is already recorded"})
    row = Attendance.objects.create(
        meeting=meeting, user=user, name=name, agency=agency, status=status
    )
    if status == Attendance.Status.PRESENT and not meeting.held:
        meeting.held = True
        meeting.save(update_fields=["held", "updated_at"])
        sync_meeting(meeting)
    _audit(actor, meeting, "Recorded attendance")
    return row


@transaction.atomic
def discussion_record(
    *,
    actor: User,
    item: AgendaItem,
    discussion: str,
    decisions: str = "",
    views: Iterable[RiskViewInput] = (),
    actions: Iterable[ActionInput] = (),
) -> AgendaItem:
    """The child's discussion at the meeting: what was said, the decisions, each agency's
    view of the risk (003 A5 (f)) and the actions agreed, which go on the owners'
    worklists and the child's record."""
    meeting = _locked(item.meeting_id)
    policy.require(policy.can_run_panel(actor, meeting.series))
    _not_closed(meeting)
    child = item.child
    errors: dict[str, str] = {}
    if not discussion.strip():
        errors["discussion"] = "Enter what was discussed"
    views, actions = list(views), list(actions)
    agencies = [v.agency.pk for v in views]
    if len(agencies) != len(set(agencies)):
        errors["views"] = "Each agency gives one view of the risk: remove the repeated agency"
    for action in actions:
        if action.due_date < meeting.date:
            errors["actions"] = "An action's due date must be on or after the meeting"
        if not (action.owner.is_active and policy.can_view_child(action.owner, child).allowed):
            errors["actions"] = (
                f"{action.owner.display_name} cannot open this child's record: choose an "
                "owner who can"
            )
    if errors:
        raise ValidationError(errors)
    item.discussion = discussion.strip()
    item.decisions = decisions.strip()
    item.discussed_at = item.discussed_at or timezone.now()
    item.save(update_fields=["discussion", "decisions", "discussed_at", "updated_at"])
    for view in views:
        AgencyRiskView.objects.update_or_create(
            item=item,
            agency=view.agency,
            defaults={"level": view.level, "note": view.note.strip(), "recorded_by": actor},
        )
    made = [
        PanelAction.objects.create(
            meeting=meeting,
            item=item,
            child=child,
            description=action.description.strip(),
            owner=action.owner,
            due_date=action.due_date,
            created_by=actor,
        )
        for action in actions
    ]
    if not meeting.held:
        meeting.held = True
        meeting.save(update_fields=["held", "updated_at"])
        sync_meeting(meeting)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=item,
        child_id=child.public_id,
        summary=f"Discussed at {meeting.series.name}",
        after={"views": len(views), "actions": len(made)},
    )
    sync_child(child)
    for agreed in made:
        if agreed.owner_id != actor.pk:
            notify(
                user=agreed.owner,
                kind="panel_action",
                title=f"An action for {child.reference} from {meeting.series.name}",
                url=reverse("meetings:actions", kwargs={"public_id": child.public_id}),
                child=child,
            )
    return item


@transaction.atomic
def minutes_save(*, actor: User, meeting: PanelMeeting, minutes: str) -> PanelMeeting:
    meeting = _locked(meeting.pk)
    policy.require(policy.can_run_panel(actor, meeting.series))
    _not_closed(meeting)
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes", "updated_at"])
    _audit(actor, meeting, "Saved the draft minutes")
    return meeting


def minutes_agree_refusal(meeting: PanelMeeting) -> str:
    """Why the minutes of the meeting cannot be agreed yet, in words, or "" when they can
    (whoever asks: who may agree them is policy.can_agree_minutes). The minutes page says
    this before offering the button, so nothing is refused only after it is pressed
    (issue 19 point 5); minutes_agree refuses with the same words."""
    if meeting.minutes_agreed_at is not None:
        return MINUTES_AGREED
    if not meeting.held:
        return MINUTES_NOT_HELD
    if not meeting.minutes:
        return MINUTES_NOT_WRITTEN
    return ""


@transaction.atomic
def minutes_agree(*, actor: User, meeting: PanelMeeting) -> PanelMeeting:
    """The chair agrees the minutes (003 A5); after this the record of the meeting is fixed."""
    meeting = PanelMeeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    policy.require(policy.can_agree_minutes(actor, meeting))
    _not_closed(meeting)
    refusal = minutes_agree_refusal(meeting)
    if refusal == MINUTES_NOT_WRITTEN:
        raise ValidationError({"minutes": refusal})
    if refusal:
        raise ValidationError(refusal)
    meeting.minutes_agreed_at = timezone.now()
    meeting.minutes_agreed_by = actor
    meeting.save(update_fields=["minutes_agreed_at", "minutes_agreed_by", "updated_at"])
    _audit(actor, meeting, "Agreed the minutes")
    return meeting


@transaction.atomic
def minutes_circulate(*, actor: User, meeting: PanelMeeting) -> int:
    """Send the agreed minutes to everyone recorded at the meeting and the panel's members,
    in MACE (the minutes stay in MACE: 003 A5, "distributed through secure arrangements").
    Closes T21. Returns how many were told."""
    meeting = PanelMeeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    policy.require(policy.can_run_panel(actor, meeting.series))
    if meeting.minutes_agreed_at is None:
        raise ValidationError("The chair must agree the minutes before they are circulated")
    if meeting.minutes_circulated_at is not None:
        raise ValidationError("The minutes have already been circulated")
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_circulated_at", "updated_at"])
    people = {a.user for a in meeting.attendance.select_related("user") if a.user is not None}
    people |= set(meeting.series.members.filter(is_active=True))
    url = reverse("meetings:meeting", kwargs={"public_id": meeting.public_id})
    for person in people:
        notify(user=person, kind="minutes", title=f"Minutes of {meeting}", url=url)
    sync_meeting(meeting)
    _audit(actor, meeting, f"Circulated the minutes to {len(people)} people")
    return len(people)


@transaction.atomic
def panel_action_complete(*, actor: User, action: PanelAction, note: str = "") -> PanelAction:
    """The owner (or anyone who may change the child's record) marks the action done."""
    policy.require(
        bool(policy.can_view_child(actor, action.child))
        and (action.owner_id == actor.pk or policy.can_edit_child(actor, action.child))
    )
    if action.completed_at is None:
        action.completed_at = timezone.now()
        action.completed_note = note.strip()
        action.save(update_fields=["completed_at", "completed_note"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=action,
            child_id=action.child.public_id,
            summary="Completed a panel action",
        )
        sync_child(action.child)
    return action


@transaction.atomic
def meeting_action_complete(*, actor: User, action: MeetingAction) -> MeetingAction:
    """A strategy meeting's action done (ACT)."""
    child = action.meeting.child
    policy.require(
        bool(policy.can_view_child(actor, child))
        and (action.owner_id == actor.pk or policy.can_edit_child(actor, child))
    )
    if action.completed_at is None:
        action.completed_at = timezone.now()
        action.save(update_fields=["completed_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=action,
            child_id=child.public_id,
            summary="Completed a strategy meeting action",
        )
        sync_child(child)
    return action


@transaction.atomic
def transition_referral_record(
    *, actor: User, child: Child, referred_on: datetime.date, service: str, notes: str = ""
) -> TransitionReferral:
    """The young person referred to adult services (T20)."""
    policy.require(policy.can_edit_child(actor, child) and not child.is_merged)
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "The date must be today or in the past"})
    referral = TransitionReferral(
        child=child,
        referred_on=referred_on,
        service=service.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=referral,
        child_id=child.public_id,
        summary="Referred to adult services",
    )
    sync_child(child)
    return referral


@transaction.atomic
def panel_series_update(*, actor: User, series: PanelSeries, **fields: object) -> PanelSeries:
    """Change a panel's cadence, sections, chair or members (a setting)."""
    policy.require(policy.can_keep_panel_settings(actor))
    members = fields.pop("members", None)
    before = {name: str(getattr(series, name)) for name in fields}
    for name, value in fields.items():
        setattr(series, name, value)
    series.full_clean()
    series.save()
    if members is not None:
        series.members.set(members)  # type: ignore[arg-type]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=series,
        summary="Changed the panel's settings",
        before=before,
        after={name: str(getattr(series, name)) for name in fields},
    )
    return series
