"""Recording disruption (003 A3, A7): the library, the actions of a child's plan and
their outcomes, and the disruption outcomes the dataset counts.

Every write checks access.policy, validates, and writes its audit entry in the same
transaction. Summaries name no person of concern or place: auditors are not cleared.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.disruption.models import (
    DisruptionAction,
    DisruptionOutcome,
    InterventionOption,
    StrategicAim,
)
from mace.intelligence.models import Location, PersonOfConcern
from mace.people.models import Child
from mace.worklist.engine import sync_child
from mace.worklist.notify import notify


def _may_work_on(user: User, child: Child) -> bool:
    """They may open the record (perhaps after giving a reason, if it is restricted)."""
    return user.is_active and policy.can_view_child(user, child).allowed


@transaction.atomic
def disruption_action_create(
    *,
    actor: User,
    child: Child,
    heading: str,
    description: str,
    agency: Agency,
    due_date: datetime.date,
    monitor: User,
    aim: StrategicAim | None = None,
    option: InterventionOption | None = None,
    owner: User | None = None,
    owner_name: str = "",
) -> DisruptionAction:
    """Add an action to the child's disruption plan; it goes on the owner's worklist (or,
    for an owner outside MACE, the monitor's) until its outcome is recorded."""
    policy.require(policy.can_plan_disruption(actor, child) and not child.is_merged)
    errors: dict[str, str] = {}
    if option is not None:
        if aim is not None and aim.pk != option.aim_id:
            errors["option"] = (
                "The option you chose comes under a different aim: choose the aim it belongs "
                "to, or leave the aim blank"
            )
        aim = option.aim
        if option.retired_at is not None:
            errors["option"] = "That option has been retired: choose another"
    if aim is None:
        errors["aim"] = "Choose a strategic aim, or an intervention option from the library"
    elif aim.retired_at is not None:
        errors["aim"] = "That aim has been retired: choose another"
    owner_name = owner_name.strip()
    if owner is None and not owner_name:
        errors["owner"] = "Choose who owns the action, or name an owner outside MACE"
    elif owner is not None and owner_name:
        errors["owner_name"] = "Choose an owner in MACE or name one outside it, not both"
    elif owner is not None and not _may_work_on(owner, child):
        errors["owner"] = (
            f"{owner.display_name} cannot open this child's record: choose someone who can, "
            "or name them as an owner outside MACE"
        )
    if not _may_work_on(monitor, child):
        errors["monitor"] = (
            f"{monitor.display_name} cannot open this child's record: choose someone who can"
        )
    if errors:
        raise ValidationError(errors)
    action = DisruptionAction(
        child=child,
        heading=heading,
        aim=aim,
        option=option,
        description=description.strip(),
        owner=owner,
        owner_name=owner_name,
        agency=agency,
        due_date=due_date,
        monitor=monitor,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=action,
        child_id=child.public_id,
        summary="Added an action to the disruption plan",
        after={"heading": heading, "due_date": due_date.isoformat()},
    )
    sync_child(child)
    assignee = owner or monitor
    if assignee.pk != actor.pk:
        notify(
            user=assignee,
            kind="disruption_action",
            title=f"A disruption action for {child.reference} is yours to "
            + ("carry out" if owner else "follow up"),
            url=reverse("disruption:plan", kwargs={"public_id": child.public_id}),
            child=child,
        )
    return action


@transaction.atomic
def disruption_action_outcome_record(
    *, actor: User, action: DisruptionAction, outcome: str
) -> DisruptionAction:
    """Record what came of the action; this closes its worklist item."""
    action = DisruptionAction.objects.select_for_update().get(pk=action.pk)
    policy.require(policy.can_record_action_outcome(actor, action))
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter what came of the action"})
    before = action.outcome
    action.outcome = outcome
    action.outcome_recorded_at = timezone.now()
    action.outcome_recorded_by = actor
    action.save(
        update_fields=["outcome", "outcome_recorded_at", "outcome_recorded_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=action,
        child_id=action.child.public_id,
        summary="Recorded the outcome of a disruption action",
        before={"outcome_recorded": bool(before)},
        after={"outcome_recorded": True},
    )
    sync_child(action.child)
    return action


@transaction.atomic
def disruption_outcome_record(
    *,
    actor: User,
    kind: str,
    occurred_on: datetime.date,
    agency: Agency,
    child: Child | None = None,
    person: PersonOfConcern | None = None,
    location: Location | None = None,
    details: str = "",
) -> DisruptionOutcome:
    """Record a disruption outcome for the dataset (003 A7): a child abduction warning
    notice, a sexual risk order, a licensing action, a conviction, another use of
    regulatory powers, or protective action by children's social care."""
    intelligence = person is not None or location is not None
    policy.require(policy.can_record_disruption_outcome(actor, child, intelligence=intelligence))
    if child is None and not intelligence:
        raise ValidationError("Say which child, person of concern or place this is about")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    outcome = DisruptionOutcome(
        kind=kind,
        occurred_on=occurred_on,
        agency=agency,
        child=child,
        person=person,
        location=location,
        details=details.strip(),
        recorded_by=actor,
    )
    outcome.full_clean()
    outcome.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=outcome,
        child_id=child.public_id if child else None,
        summary="Recorded a disruption outcome",
        after={"occurred_on": occurred_on.isoformat()},
    )
    return outcome


@transaction.atomic
def strategic_aim_create(*, actor: User, text: str) -> StrategicAim:
    policy.require(policy.can_keep_disruption_library(actor))
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the strategic aim"})
    last = StrategicAim.objects.order_by("-order").values_list("order", flat=True).first()
    aim = StrategicAim(text=text, order=(last or 0) + 1)
    try:
        with transaction.atomic():
            aim.save()
    except IntegrityError:
        raise ValidationError({"text": "That aim is already in the library"}) from None
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=aim, summary="Added a strategic aim"
    )
    return aim


@transaction.atomic
def intervention_option_create(*, actor: User, aim: StrategicAim, text: str) -> InterventionOption:
    policy.require(policy.can_keep_disruption_library(actor))
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the intervention option"})
    last = aim.options.order_by("-order").values_list("order", flat=True).first()
    option = InterventionOption(aim=aim, text=text, order=(last or 0) + 1)
    try:
        with transaction.atomic():
            option.save()
    except IntegrityError:
        raise ValidationError({"text": "That option is already under this aim"}) from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=option,
        summary="Added an intervention option",
    )
    return option


@transaction.atomic
def library_entry_retire(
    *, actor: User, entry: StrategicAim | InterventionOption, retire: bool = True
) -> None:
    """Retire a library entry (or bring it back). Plans that chose it keep it; it is no
    longer offered for new actions."""
    policy.require(policy.can_keep_disruption_library(actor))
    entry.retired_at = timezone.now() if retire else None
    entry.save(update_fields=["retired_at", "updated_at"])
    what = "strategic aim" if isinstance(entry, StrategicAim) else "intervention option"
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=entry,
        summary=f"{'Retired' if retire else 'Restored'} a {what}",
    )
