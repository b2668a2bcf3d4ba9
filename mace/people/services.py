"""Every change to the people register: validated, atomic, and audited in one transaction."""

import datetime
import itertools
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from mace.access.models import RestrictedAccessGrant
from mace.access.policy import (
    can_add_photograph,
    can_allocate_child,
    can_change_description,
    can_create_child,
    can_decide_duplicate_review,
    can_edit_child,
    can_merge_children,
    can_remove_photograph,
    can_restrict_child,
    can_view_child,
    may_hold_case,
    require,
    team_for_new_child,
)
from mace.accounts.models import Team, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, changed_only, snapshot
from mace.lib.concurrency import EditConflict, lock_for_edit
from mace.meetings.merging import fold_agenda_entries
from mace.people import domain, photographs
from mace.people.duplicates import PossibleDuplicate
from mace.people.models import (
    Child,
    ChildAddress,
    ChildAlias,
    ChildDescription,
    ChildIdentifier,
    ChildPhotograph,
    DuplicateReview,
    Involvement,
    LegalStatus,
    LegalStatusKind,
    LocalAuthority,
    Placement,
    RelatedPerson,
)
from mace.worklist.engine import sync_child

CHILD_EDITABLE_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_estimated",
    "gender",
    "sexuality",
    "ethnicity",
    "languages",
    "religion",
    "immigration_status",
    "is_uasc",
    "area",
    "school",
    "gp",
    "identifying_information",
    "additional_needs",
    "other_professionals",
    "known_to_camhs",
    "self_harm",
    "substance_misuse",
    "neet",
    "lgbtq",
    "supported_accommodation",
)
# A child's team, allocated worker and restriction are not details: they decide who sees
# the record and who must give a reason, so they change only through child_allocate and
# child_set_restriction, for those the policy allows (issue 16).


def _audit_child(
    actor: User, action: str, obj: models.Model, child: Child, summary: str, **kw: Any
) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, child_id=child.public_id, summary=summary, **kw
    )


@transaction.atomic
def child_create(
    *,
    actor: User,
    legal_status: str = LegalStatusKind.NONE,
    legal_status_start: datetime.date | None = None,
    aliases: list[str] | None = None,
    **details: Any,
) -> Child:
    """Create a child with a current legal status. Duplicate checks happen before, in the UI."""
    require(can_create_child(actor))
    unknown = set(details) - set(CHILD_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown child details: {', '.join(sorted(unknown))}")
    child = domain.new_child(team=team_for_new_child(actor), **details)
    child.full_clean(exclude=["reference"])
    domain.save_new_child(child)
    domain.new_legal_status(
        child=child,
        status=legal_status,
        start_date=legal_status_start or timezone.localdate(),
        created_by=actor,
    ).save()
    for name in aliases or []:
        if name.strip():
            ChildAlias.objects.get_or_create(child=child, name=name.strip())
    after = snapshot(child)
    after["legal_status"] = legal_status
    after["aliases"] = sorted(a.strip() for a in aliases or [] if a.strip())
    _audit_child(actor, AuditEvent.Action.CREATE, child, child, "Created child record", after=after)
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, expected_version: int, **changes: Any) -> Child:
    """Change a child's details. Refuses, changing nothing, if the record moved on meanwhile."""
    require(can_edit_child(actor, child))
    unknown = set(changes) - set(CHILD_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown child details: {', '.join(sorted(unknown))}")
    locked = lock_for_edit(child, expected_version, "record")
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.version += 1
    locked.save()
    # Who the items go to, the dates that hang on the child's age, and the reporting
    # table's copy of the child's details follow the record at once.
    sync_child(locked)
    old, new = changed_only(before, snapshot(locked))
    new.pop("version", None)
    old.pop("version", None)
    if new:
        _audit_child(
            actor,
            AuditEvent.Action.CHANGE,
            locked,
            locked,
            "Changed details",
            before=old,
            after=new,
        )
    return locked


@transaction.atomic
def child_allocate(*, actor: User, child: Child, team: Team | None, worker: User | None) -> Child:
    """Put the child in a team and allocate them to a worker of that team (either may be
    none: a child waiting for allocation). Only those the policy allows (issue 16)."""
    require(can_allocate_child(actor, child))
    if worker is not None:
        if team is None:
            raise ValidationError({"team": "Choose the team of the worker you are allocating"})
        if not may_hold_case(worker, team):
            raise ValidationError(
                {
                    "allocated_worker": f"Choose an active social worker in the {team.name}, "
                    "or leave the child waiting for allocation"
                }
            )
    locked = Child.objects.select_for_update().get(pk=child.pk)
    before = snapshot(locked)
    locked.team = team
    locked.allocated_worker = worker
    locked.version += 1
    locked.save(update_fields=["team", "allocated_worker", "version", "updated_at"])
    sync_child(locked)  # the worklist items follow the worker at once
    old, new = changed_only(before, snapshot(locked))
    old.pop("version", None)
    new.pop("version", None)
    if new:
        _audit_child(
            actor,
            AuditEvent.Action.CHANGE,
            locked,
            locked,
            "Allocation changed",
            before=old,
            after=new,
        )
    return locked


@transaction.atomic
def child_set_restriction(*, actor: User, child: Child, restricted: bool, reason: str) -> Child:
    """Restrict the child's record, or lift the restriction, with the reason recorded in the
    audit trail (C11). Only those the policy allows (issue 16)."""
    require(can_restrict_child(actor, child))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Enter why the record should be restricted, or why the restriction ends"}
        )
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.is_restricted == restricted:
        return locked
    before = {"is_restricted": locked.is_restricted}
    locked.is_restricted = restricted
    locked.version += 1
    locked.save(update_fields=["is_restricted", "version", "updated_at"])
    _audit_child(
        actor,
        AuditEvent.Action.CHANGE,
        locked,
        locked,
        "Record restricted" if restricted else "Restriction lifted",
        before=before,
        after={"is_restricted": restricted},
        reason=reason,
    )
    return locked


MINIMUM_REASON_LENGTH = 10


@transaction.atomic
def restricted_access_grant(*, actor: User, child: Child, reason: str) -> RestrictedAccessGrant:
    """Open a restricted record for RESTRICTED_ACCESS_HOURS, for a reason that goes to the
    audit trail (C11). The policy reads the grant (`policy.can_view_child`)."""
    require(can_view_child(actor, child).allowed)
    reason = reason.strip()
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ValidationError(
            {"reason": "Explain why you need to open this record, in at least 10 characters"}
        )
    hours = settings.RESTRICTED_ACCESS_HOURS
    grant = RestrictedAccessGrant.objects.create(
        user=actor,
        child=child,
        reason=reason,
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.RESTRICTED_OPEN,
        obj=child,
        child_id=child.public_id,
        summary=f"Opened restricted record for {hours} hours",
        reason=reason,
    )
    return grant


def _end_current_period(
    periods: models.QuerySet[Any], start_date: datetime.date, too_early: str
) -> Any:
    """End the open period the day before a new one starts; history is kept, not replaced."""
    current = domain.current_period(periods)
    if current is None:
        return None
    domain.end_period(current, start_date, too_early)
    current.save(update_fields=["end_date"])
    return current


@transaction.atomic
def legal_status_change(
    *, actor: User, child: Child, status: str, start_date: datetime.date
) -> LegalStatus:
    """Start a new legal status; the current one ends the day before (history is kept)."""
    require(can_edit_child(actor, child))
    current = _end_current_period(
        child.legal_statuses.all(), start_date, "The new status must start after the current one"
    )
    new = domain.new_legal_status(
        child=child, status=status, start_date=start_date, created_by=actor
    )
    new.save()
    _audit_child(
        actor,
        AuditEvent.Action.CHANGE,
        new,
        child,
        f"Legal status now {new.get_status_display()}",
        before={"status": current.status if current else None},
        after={"status": status, "start_date": start_date.isoformat()},
    )
    return new


@transaction.atomic
def placement_add(
    *,
    actor: User,
    child: Child,
    kind: str,
    placing_authority: LocalAuthority,
    host_authority: LocalAuthority,
    start_date: datetime.date,
    address: str = "",
    postcode: str = "",
    provider: str = "",
) -> Placement:
    """Record a new placement; an open earlier placement ends the day before."""
    require(can_edit_child(actor, child))
    _end_current_period(
        child.placements.all(), start_date, "The new placement must start after the current one"
    )
    placement = domain.new_placement(
        child=child,
        kind=kind,
        placing_authority=placing_authority,
        host_authority=host_authority,
        start_date=start_date,
        address=address,
        postcode=postcode,
        provider=provider,
    )
    placement.full_clean()
    placement.save()
    _audit_child(
        actor,
        AuditEvent.Action.CREATE,
        placement,
        child,
        f"Placement added: {placement.get_kind_display()}",
        after=snapshot(placement),
    )
    return placement


@transaction.atomic
def placement_end(*, actor: User, placement: Placement, end_date: datetime.date) -> Placement:
    require(can_edit_child(actor, placement.child))
    before = snapshot(placement)
    placement.end_date = end_date
    placement.full_clean()
    placement.save(update_fields=["end_date"])
    old, new = changed_only(before, snapshot(placement))
    _audit_child(
        actor,
        AuditEvent.Action.CHANGE,
        placement,
        placement.child,
        "Placement ended",
        before=old,
        after=new,
    )
    return placement


def _add_related(actor: User, child: Child, instance: models.Model, summary: str) -> Any:
    require(can_edit_child(actor, child))
    instance.full_clean()
    instance.save()
    _audit_child(
        actor, AuditEvent.Action.CREATE, instance, child, summary, after=snapshot(instance)
    )
    return instance


@transaction.atomic
def alias_add(*, actor: User, child: Child, name: str) -> ChildAlias:
    return _add_related(actor, child, ChildAlias(child=child, name=name.strip()), "Alias added")


@transaction.atomic
def identifier_add(*, actor: User, child: Child, kind: str, value: str) -> ChildIdentifier:
    identifier = ChildIdentifier(child=child, kind=kind, value=value.strip())
    return _add_related(actor, child, identifier, "Identifier added")


@transaction.atomic
def address_add(*, actor: User, child: Child, **details: Any) -> ChildAddress:
    return _add_related(actor, child, ChildAddress(child=child, **details), "Address added")


@transaction.atomic
def related_person_add(*, actor: User, child: Child, **details: Any) -> RelatedPerson:
    person = RelatedPerson(child=child, **details)
    return _add_related(actor, child, person, "Parent or carer added")


@transaction.atomic
def involvement_add(*, actor: User, child: Child, **details: Any) -> Involvement:
    involvement = Involvement(child=child, **details)
    return _add_related(actor, child, involvement, "Professional involvement added")


def _reassign_related_rows(source: Child, target: Child) -> dict[str, int]:
    """Move every row that points at `source` to `target`, whatever app it lives in.

    Generic on purpose: episodes, interviews and assessments added by later apps move
    too, so a merge never leaves history behind. Uniqueness clashes (the same alias or
    identifier on both, a one-to-one row both have, such as the scheduled checks'
    `worklist.Recheck`, or a row unique per child and something else that both have, such
    as one worker's draft risk assessment of each) keep the target's row and drop the
    duplicate's.
    """
    moved: dict[str, int] = {}
    for relation in Child._meta.related_objects:
        if relation.related_model is Child or relation.many_to_many:
            continue
        model = relation.related_model
        assert not isinstance(model, str)
        field_name = relation.field.name
        rows = model._default_manager.filter(**{field_name: source})
        if model is ChildAlias:
            taken = set(target.aliases.values_list("name", flat=True))
            rows.filter(name__in=taken).delete()
        elif model is ChildIdentifier:
            clash = rows.filter(
                value__in=target.identifiers.values_list("value", flat=True)
            ).values_list("pk", flat=True)
            rows.filter(pk__in=list(clash)).delete()
        elif relation.one_to_one and model._default_manager.filter(**{field_name: target}).exists():
            rows.delete()
        else:
            _drop_unique_clashes(model, field_name, rows, target)
        count = rows.update(**{field_name: target})
        if count:
            moved[model._meta.label_lower] = count
    return moved


def _drop_unique_clashes(model: Any, field_name: str, rows: Any, target: Child) -> None:
    """Drop the rows that would break a unique constraint over the child and other fields
    once moved to `target`, because the target has a row with the same other values."""
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
            continue
        others = [name for name in constraint.fields if name != field_name]
        if len(others) == len(constraint.fields) or not others:
            continue
        held = set(model._default_manager.filter(**{field_name: target}).values_list(*others))
        clash = [pk for pk, *values in rows.values_list("pk", *others) if tuple(values) in held]
        if clash:
            rows.filter(pk__in=clash).delete()


@transaction.atomic
def child_merge(*, actor: User, keep: Child, duplicate: Child) -> Child:
    """Merge `duplicate` into `keep`, keeping both histories.

    Everything recorded against the duplicate moves to the kept record; the duplicate's
    names become aliases; the duplicate stays, marked as merged, so old references and
    its audit trail still resolve.
    """
    require(can_merge_children(actor))
    require(bool(can_view_child(actor, keep)) and bool(can_view_child(actor, duplicate)))
    if keep.pk == duplicate.pk:
        raise ValidationError("Choose two different records to merge")
    keep = Child.objects.select_for_update().get(pk=keep.pk)
    duplicate = Child.objects.select_for_update().get(pk=duplicate.pk)
    if keep.is_merged or duplicate.is_merged:
        raise ValidationError("One of these records has already been merged")
    _refuse_two_open_episodes(keep, duplicate)
    fold_agenda_entries(source=duplicate, target=keep)
    moved = _reassign_related_rows(duplicate, keep)
    for name in {duplicate.full_name, f"{duplicate.first_name} {duplicate.last_name}"}:
        if name.lower() not in {
            keep.full_name.lower(),
            f"{keep.first_name} {keep.last_name}".lower(),
        }:
            ChildAlias.objects.get_or_create(child=keep, name=name)
    ChildIdentifier.objects.get_or_create(
        kind=ChildIdentifier.Kind.OTHER,
        value=f"merged:{duplicate.reference}",
        defaults={"child": keep},
    )
    _merge_legal_status_overlaps(keep)
    _reviews_after_merge(actor, keep, duplicate)
    duplicate.merged_into = keep
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    keep.version += 1
    keep.save(update_fields=["version", "updated_at"])
    # The kept record now holds both histories; the merged one holds nothing.
    sync_child(duplicate)
    sync_child(keep)
    summary = f"Merged {duplicate.reference} into {keep.reference}"
    for child in (keep, duplicate):
        _audit_child(
            actor,
            AuditEvent.Action.MERGE,
            child,
            child,
            summary,
            before={"reference": duplicate.reference},
            after={"merged_into": keep.reference, "moved": moved},
        )
    return keep


def _refuse_two_open_episodes(keep: Child, duplicate: Child) -> None:
    """Issue 18 point 7: one open episode a child. Merged, two records each missing now would
    be one child missing twice; which episode ended when is for a person to record."""
    open_of = {
        child.pk: child.episodes.filter(returned_at__isnull=True)
        .values_list("public_id", flat=True)
        .first()
        for child in (keep, duplicate)
    }
    if open_of[keep.pk] is not None and open_of[duplicate.pk] is not None:
        raise ValidationError(
            f"Both records have an open episode: {keep.reference} (episode "
            f"{open_of[keep.pk]}) and {duplicate.reference} (episode {open_of[duplicate.pk]}) "
            "have no return recorded. A child is missing once at a time: record the return on "
            "one of the episodes, then merge"
        )


def _merge_legal_status_overlaps(child: Child) -> None:
    """After a merge two open statuses may exist: close the older the day before the newer."""
    open_rows = list(child.legal_statuses.filter(end_date__isnull=True).order_by("start_date"))
    for older, newer in itertools.pairwise(open_rows):
        end = max(older.start_date, newer.start_date - datetime.timedelta(days=1))
        older.end_date = end
        older.save(update_fields=["end_date"])


# Possible duplicates (issue 18)


def _audit_review(
    actor: User | None, action: str, review: DuplicateReview, summary: str, **kw: Any
) -> None:
    """One event on each child's trail: the pair concerns both records."""
    for child in (review.new_child, review.matched_child):
        audit_record(
            actor=actor, action=action, obj=review, child_id=child.public_id, summary=summary, **kw
        )


def _review_summary(review: DuplicateReview) -> str:
    return f"{review.new_child.reference} and {review.matched_child.reference}"


@transaction.atomic
def duplicate_reviews_open(
    *,
    actor: User | None,
    new_child: Child,
    matches: list[PossibleDuplicate],
    source: str,
    found_at: str = "",
) -> list[DuplicateReview]:
    """Put a child just created on the review list beside each child held whom they may
    duplicate (`people.duplicates`): an education notification or a termly return that did
    not find its child exactly but found one alike. Not a decision, so no permission beyond
    the one that created the child."""
    reviews = domain.new_duplicate_reviews(
        new_child=new_child, matches=matches, source=source, found_at=found_at
    )
    for review in reviews:
        review.full_clean(validate_constraints=False)
        review.save()
        _audit_review(
            actor,
            AuditEvent.Action.CREATE,
            review,
            f"Possible duplicate for review: {_review_summary(review)}",
            after=snapshot(review),
        )
    return reviews


def _locked_open_review(actor: User, review: DuplicateReview) -> DuplicateReview:
    require(can_decide_duplicate_review(actor, review.new_child, review.matched_child))
    locked = (
        DuplicateReview.objects.select_for_update()
        .select_related("new_child", "matched_child")
        .get(pk=review.pk)
    )
    if locked.status != DuplicateReview.Status.OPEN:
        raise ValidationError(
            f"{_review_summary(locked)} have already been reviewed "
            f"({locked.get_status_display().lower()}): nothing was changed"
        )
    return locked


def _decide(actor: User, review: DuplicateReview, status: str, summary: str) -> None:
    before = snapshot(review)
    review.status = status
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at"])
    old, new = changed_only(before, snapshot(review))
    _audit_review(actor, AuditEvent.Action.CHANGE, review, summary, before=old, after=new)


@transaction.atomic
def duplicate_review_confirm_new(*, actor: User, review: DuplicateReview) -> DuplicateReview:
    """The two are different children: recorded, audited, and never asked again for this
    pair (`duplicate_review_pair_once`)."""
    locked = _locked_open_review(actor, review)
    _decide(
        actor,
        locked,
        DuplicateReview.Status.CONFIRMED_NEW,
        f"Confirmed as different children: {_review_summary(locked)}",
    )
    return locked


@transaction.atomic
def duplicate_review_merge(*, actor: User, review: DuplicateReview) -> Child:
    """The two are one child: the new record is merged into the one held before it
    (`child_merge`, which closes this review as merged). Returns the kept record."""
    locked = _locked_open_review(actor, review)
    return child_merge(actor=actor, keep=locked.matched_child, duplicate=locked.new_child)


def _reviews_after_merge(actor: User, keep: Child, duplicate: Child) -> None:
    """After `duplicate` is merged into `keep`: the open reviews of the two together are
    answered (merged); another open review of the duplicate now asks about the kept record
    instead, unless that pair has been asked about already, when it is closed as merged."""
    open_reviews = (
        DuplicateReview.objects.select_for_update()
        .select_related("new_child", "matched_child")
        .filter(Q(new_child=duplicate) | Q(matched_child=duplicate))
        .filter(status=DuplicateReview.Status.OPEN)
    )
    for review in open_reviews:
        duplicate_is_new = review.new_child_id == duplicate.pk
        other = review.matched_child if duplicate_is_new else review.new_child
        asked = DuplicateReview.objects.filter(
            Q(new_child=keep, matched_child=other) | Q(new_child=other, matched_child=keep)
        )
        if other.pk == keep.pk or asked.exists():
            _decide(
                actor,
                review,
                DuplicateReview.Status.MERGED,
                f"Merged {duplicate.reference} into {keep.reference}",
            )
            continue
        before = snapshot(review)
        if duplicate_is_new:
            review.new_child = keep
        else:
            review.matched_child = keep
        review.save(update_fields=["new_child", "matched_child"])
        old, new = changed_only(before, snapshot(review))
        _audit_review(
            actor,
            AuditEvent.Action.CHANGE,
            review,
            f"Possible duplicate now of {keep.reference}, into which "
            f"{duplicate.reference} was merged",
            before=old,
            after=new,
        )


# The photograph and the physical description (issue 20 point 3)

DESCRIPTION_FIELDS = (
    "height",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "clothing_seen_on",
)


def _check_day(child: Child, day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})
    if day < child.date_of_birth:
        raise ValidationError({field: f"{label} must be on or after the child's date of birth"})


@transaction.atomic
def photograph_add(
    *,
    actor: User,
    child: Child,
    image: IO[bytes],
    taken_on: datetime.date,
    taken_by: str,
    size: int | None = None,
) -> ChildPhotograph:
    """Keep a photograph of the child: checked and re-encoded (`people.photographs`), stored
    under an opaque name in PRIVATE_MEDIA_ROOT, audited. The one taken most recently is the
    child's current photograph; earlier ones stay as history."""
    require(can_add_photograph(actor, child) and not child.is_merged)
    taken_by = taken_by.strip()
    if not taken_by:
        raise ValidationError({"taken_by": "Enter who took the photograph"})
    _check_day(child, taken_on, "taken_on", "The date the photograph was taken")
    made = photographs.reencode(image, size)
    photograph = ChildPhotograph(
        child=child,
        taken_on=taken_on,
        taken_by=taken_by,
        uploaded_by=actor,
        width=made.width,
        height=made.height,
    )
    photograph.image.save("photograph.jpg", ContentFile(made.content), save=False)
    try:
        photograph.full_clean()
        photograph.save()
        _audit_child(
            actor,
            AuditEvent.Action.CREATE,
            photograph,
            child,
            "Photograph added",
            after={
                "taken_on": taken_on.isoformat(),
                "taken_by": taken_by,
                "width": made.width,
                "height": made.height,
            },
        )
    except Exception:
        photograph.image.delete(save=False)  # no file without its row
        raise
    return photograph


# The longest reason for removing a photograph.
PHOTOGRAPH_REMOVAL_REASON_MAX = 500


@transaction.atomic
def photograph_remove(*, actor: User, photograph: ChildPhotograph, reason: str) -> None:
    """Remove a photograph from the child's record: its row now, its file once the removal
    is committed (a removal rolled back keeps both). Audited as a deletion with when it was
    taken, by whom, who added it and the reason, which is required (the image itself is
    not kept anywhere). The photograph taken most recently before it becomes the current
    one."""
    child = photograph.child
    require(can_remove_photograph(actor, child) and not child.is_merged)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the photograph is being removed"})
    if len(reason) > PHOTOGRAPH_REMOVAL_REASON_MAX:
        raise ValidationError(
            {"reason": f"The reason must be {PHOTOGRAPH_REMOVAL_REASON_MAX:,} characters or fewer"}
        )
    held = ChildPhotograph.objects.select_for_update().filter(pk=photograph.pk).first()
    if held is None:
        raise ValidationError("This photograph has already been removed")
    name, storage = held.image.name, held.image.storage
    _audit_child(
        actor,
        AuditEvent.Action.DELETE,
        held,
        child,
        "Photograph removed",
        before={
            "taken_on": held.taken_on.isoformat(),
            "taken_by": held.taken_by,
            "uploaded_by": held.uploaded_by.username,
            "uploaded_at": held.uploaded_at.isoformat(),
        },
        reason=reason,
    )
    held.delete()
    if name:
        transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def description_update(
    *, actor: User, child: Child, expected_version: int, **changes: Any
) -> ChildDescription:
    """Record or change the child's physical description and clothing when last seen,
    audited with before and after. `expected_version` is the description's version the edit
    began from (0 when there was none): someone else's save meanwhile refuses the edit and
    changes nothing."""
    require(can_change_description(actor, child) and not child.is_merged)
    unknown = set(changes) - set(DESCRIPTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown description fields: {', '.join(sorted(unknown))}")
    # The child's row is locked so that two first descriptions cannot both be made.
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True).first()
    description = ChildDescription.objects.select_for_update().filter(
        child=child
    ).first() or ChildDescription(child=child, version=0)
    if description.version != expected_version:
        raise EditConflict(
            "Someone else saved this description while you were editing it. Your changes have "
            "not been saved: look at their changes, then make yours again."
        )
    seen_on = changes.get("clothing_seen_on")
    if seen_on is not None:
        _check_day(child, seen_on, "clothing_seen_on", "The date of the clothing description")
    if changes.get("clothing", "").strip() and seen_on is None:
        raise ValidationError(
            {"clothing_seen_on": "Enter the date the child was last seen in these clothes"}
        )
    created = description.pk is None
    before = {} if created else snapshot(description)
    for name, value in changes.items():
        setattr(description, name, value.strip() if isinstance(value, str) else value)
    description.full_clean(exclude=["updated_by"])
    old, new = changed_only(before, snapshot(description))
    for key in ("version", "updated_by_id", "id", "child_id"):
        old.pop(key, None)
        new.pop(key, None)
    if created:  # what was said, not the blanks left
        new = {key: value for key, value in new.items() if value not in ("", None)}
    if not (new or created):
        return description  # nothing changed: nothing saved, nothing to audit
    description.updated_by = actor
    description.version += 1
    description.save()
    _audit_child(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
        description,
        child,
        "Physical description recorded" if created else "Physical description changed",
        before=old or None,
        after=new,
    )
    return description
