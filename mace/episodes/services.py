"""Every change to a missing episode: validated, audited, and the worklist brought in step.

Each service ends with `sync_child`, in the same transaction, so what is due always
matches the facts (SPEC section 4).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mace.access.policy import (
    can_grade_police_risk,
    can_record_episode,
    can_record_health_assessment_offer,
    require,
)
from mace.accounts.models import Role, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, changed_only, snapshot
from mace.episodes import domain
from mace.episodes.domain import AlreadyMissing as AlreadyMissing  # refused (issue 18)
from mace.episodes.models import (
    Episode,
    EpisodeNotification,
    MissingFrom,
    RiskGrade,
    RiskGrading,
)
from mace.intelligence.services import on_episode_saved
from mace.lib.concurrency import lock_for_edit
from mace.lib.days import day_of
from mace.people.models import Child
from mace.worklist.engine import sync_child
from mace.worklist.notify import notify

EPISODE_EDITABLE_FIELDS = (
    "kind",
    "missing_from",
    "absconded",
    "last_seen_at",
    "last_seen_location",
    "reported_at",
    "reported_by",
    "police_reference",
    "circumstances",
    "with_others",
    "returned_at",
    "return_method",
    "found_by",
    "found_location",
    "where_been",
    "who_with_while_missing",
    "unsafe_to_return_home",
    "push_pull_factors",
)


def _episode_url(episode: Episode) -> str:
    return reverse("episodes:detail", kwargs={"public_id": episode.public_id})


@transaction.atomic
def episode_report(
    *,
    actor: User,
    child: Child,
    kind: str,
    missing_from: str,
    last_seen_at: datetime.datetime,
    reported_at: datetime.datetime | None = None,
    risk_grade: str = "",
    with_children: Iterable[Child] = (),
    push_pull_factors: Iterable[str] = (),
    **details: Any,
) -> Episode:
    """Report a child missing (or away without authorisation) and set what is now due."""
    require(can_record_episode(actor, child))
    unknown = set(details) - set(EPISODE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown episode details: {', '.join(sorted(unknown))}")
    day = day_of(last_seen_at)
    episode = domain.new_episode(
        child=child,
        kind=kind,
        missing_from=missing_from,
        last_seen_at=last_seen_at,
        reported_at=reported_at or timezone.now(),
        legal_status=child.legal_status_on(day),
        placement=child.placement_on(day) if missing_from == MissingFrom.CARE else None,
        push_pull_factors=push_pull_factors,
        created_by=actor,
        **details,
    )
    domain.validate(episode)
    # One open episode a child (issue 18): reports of one child are made one at a time.
    list(Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True))
    domain.refuse_second_open(episode, domain.open_episode_of(child))
    if risk_grade:
        # Only those who grade police risk may give the first grade too (SPEC B, 003 §2).
        require(can_grade_police_risk(actor, child))
        domain.check_grade(risk_grade)
    episode.full_clean()
    episode.save()
    companions = [c for c in with_children if c.pk != child.pk]
    episode.with_children.set(companions)
    if companions:
        on_episode_saved(episode)  # "missing together" links for the network view (C5)
    if risk_grade:
        domain.new_grading(
            episode=episode, grade=risk_grade, graded_at=episode.reported_at, graded_by=actor
        ).save()
    after = snapshot(episode)
    after["risk_grade"] = risk_grade or None
    after["with_children"] = [c.reference for c in companions]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=episode,
        child_id=child.public_id,
        summary=f"Reported {episode.get_kind_display().lower()}",
        after=after,
    )
    _tell_the_allocated_worker(actor, episode)
    sync_child(child)
    return episode


def _tell_the_allocated_worker(actor: User, episode: Episode) -> None:
    """C8 and T2: the allocated social worker hears at once, inside MACE and by email."""
    worker = episode.child.allocated_worker
    if worker is None:
        return
    notify(
        user=worker,
        kind="child_missing",
        title=f"{episode.child.reference} reported {episode.get_kind_display().lower()}",
        url=_episode_url(episode),
        child=episode.child,
    )
    EpisodeNotification.objects.create(
        episode=episode,
        recipient=EpisodeNotification.Recipient.ALLOCATED_WORKER,
        stage=EpisodeNotification.Stage.MISSING,
        notified_at=timezone.now(),
        method="MACE notification and email",
        recorded_by=actor,
    )


@transaction.atomic
def episode_update(
    *, actor: User, episode: Episode, expected_version: int, **changes: Any
) -> Episode:
    """Change an episode's facts, keeping the history in the audit trail; deadlines follow."""
    require(can_record_episode(actor, episode.child))
    unknown = set(changes) - set(EPISODE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown episode details: {', '.join(sorted(unknown))}")
    locked = lock_for_edit(episode, expected_version, "episode")
    before = snapshot(locked)
    for name, value in changes.items():
        if name == "push_pull_factors":
            value = domain.clean_factors(value)
        setattr(locked, name, value)
    if locked.police_reference == "":
        locked.police_reference = None
    domain.validate(locked)
    if locked.returned_at is None:
        domain.refuse_second_open(locked, domain.open_episode_of(locked.child, besides=locked))
    locked.full_clean()
    locked.version += 1
    locked.save()
    old, new = changed_only(before, snapshot(locked))
    old.pop("version", None)
    new.pop("version", None)
    if new:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=locked,
            child_id=locked.child.public_id,
            summary="Changed episode",
            before=old,
            after=new,
        )
    sync_child(locked.child)
    return locked


@transaction.atomic
def episode_record_return(
    *,
    actor: User,
    episode: Episode,
    returned_at: datetime.datetime,
    expected_version: int | None = None,
    **details: Any,
) -> Episode:
    """The child is found or has returned: when, where, how, and where they had been."""
    return episode_update(
        actor=actor,
        episode=episode,
        expected_version=episode.version if expected_version is None else expected_version,
        returned_at=returned_at,
        **details,
    )


@transaction.atomic
def episode_grade_risk(
    *,
    actor: User,
    episode: Episode,
    grade: str,
    graded_at: datetime.datetime | None = None,
    reason: str = "",
) -> RiskGrading:
    """Record a police risk grade; the history is kept and the minimum applies (T1)."""
    require(can_grade_police_risk(actor, episode.child))
    domain.check_grade(grade)
    previous = episode.current_risk
    grading = domain.new_grading(
        episode=episode,
        grade=grade,
        graded_at=graded_at or timezone.now(),
        graded_by=actor,
        reason=reason,
    )
    grading.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=episode,
        child_id=episode.child.public_id,
        summary=f"Police risk graded {grading.get_grade_display()}",
        before={"risk_grade": previous.grade if previous else None},
        after={"risk_grade": grade, "reason": reason},
    )
    if grade == RiskGrade.HIGH:
        for coordinator in User.objects.filter(role=Role.MISSING_COORDINATOR, is_active=True):
            notify(
                user=coordinator,
                kind="high_risk",
                title=f"{episode.child.reference} graded high risk",
                url=_episode_url(episode),
                child=episode.child,
            )
    sync_child(episode.child)
    return grading


@transaction.atomic
def episode_record_notification(
    *,
    actor: User,
    episode: Episode,
    recipient: str,
    stage: str = EpisodeNotification.Stage.MISSING,
    notified_at: datetime.datetime | None = None,
    method: str = "",
    not_notified_reason: str = "",
) -> EpisodeNotification:
    """Record that parents, an authority or the Home Office were told, or why not."""
    require(can_record_episode(actor, episode.child))
    if notified_at is None and not not_notified_reason.strip():
        raise ValidationError(
            {"notified_at": "Enter when they were told, or explain why it was not appropriate"}
        )
    record = EpisodeNotification(
        episode=episode,
        recipient=recipient,
        stage=stage,
        notified_at=notified_at,
        method=method,
        not_notified_reason=not_notified_reason.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=episode,
        child_id=episode.child.public_id,
        summary=f"Recorded: {record.get_recipient_display()} ({record.get_stage_display()})",
        after=snapshot(record),
    )
    sync_child(episode.child)
    return record


HEALTH_ASSESSMENT_OFFERED = "Health assessment offered"
HEALTH_ASSESSMENT_NOT_OFFERED = "Health assessment not offered"


@transaction.atomic
def episode_record_health_assessment(
    *,
    actor: User,
    episode: Episode,
    offered: bool,
    not_offered_reason: str = "",
    expected_version: int | None = None,
) -> Episode:
    """T12 (003 §16): whether the child was offered a health assessment on return, recorded
    on the episode whoever arranges the return interview. Offered closes the T12 item; not
    offered keeps it open and needs the reason. With `expected_version` (the API), an
    episode saved since by someone else is an edit conflict."""
    require(can_record_health_assessment_offer(actor, episode.child))
    if expected_version is not None:
        locked = lock_for_edit(episode, expected_version, "episode")
    else:
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
    reason = "" if offered else not_offered_reason.strip()
    if locked.returned_at is None:
        raise ValidationError(
            {"offered": "Record that the child has been found or has returned first"}
        )
    if not offered and not reason:
        raise ValidationError(
            {"not_offered_reason": "Enter why the health assessment has not been offered"}
        )
    before = snapshot(locked)
    locked.health_assessment_offered = offered
    locked.health_assessment_not_offered_reason = reason
    locked.health_assessment_recorded_at = timezone.now()
    locked.health_assessment_recorded_by = actor
    locked.version += 1
    locked.save()
    old, new = changed_only(before, snapshot(locked))
    old.pop("version", None)
    new.pop("version", None)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=locked,
        child_id=locked.child.public_id,
        summary=HEALTH_ASSESSMENT_OFFERED if offered else HEALTH_ASSESSMENT_NOT_OFFERED,
        before=old,
        after=new,
    )
    sync_child(locked.child)
    return locked
