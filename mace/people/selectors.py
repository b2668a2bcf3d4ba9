"""Reading the people register. Every read takes the requesting user and asks mace.access."""

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment, RiskLevel
from mace.people.models import Child, DuplicateReview, LegalStatus, LegalStatusKind
from mace.worklist.models import DueItem

SEARCH_LIMIT = 50
HEADER_OVERDUE_LIMIT = 10
_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/\-. ](?P<m>\d{1,2})[/\-. ](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


class ReasonRequired(Exception):
    """The record is restricted: the user must give a reason before it opens."""

    def __init__(self, child: Child) -> None:
        super().__init__("A reason is required to open this restricted record")
        self.child = child


def parse_date(text: str) -> datetime.date | None:
    """A date typed the British way (27/3/2012, 27-03-2012) or as ISO 8601."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text.strip())
        if match:
            try:
                return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def child_search(*, actor: User, query: str) -> QuerySet[Child]:
    """Children matching a name, alias, date of birth or identifier that the actor may see.

    Words are matched against first, middle, last and preferred names and aliases; a word
    that is a date matches the date of birth; a reference or identifier matches exactly.
    """
    policy.require(policy.can_search_children(actor))
    visible = policy.visible_children(actor)
    words = [w for w in re.split(r"\s+", query.strip()) if w]
    if not words:
        return visible.none()
    condition = Q()
    for word in words:
        date = parse_date(word)
        if date is not None:
            condition &= Q(date_of_birth=date)
            continue
        condition &= (
            Q(first_name__icontains=word)
            | Q(middle_names__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(aliases__name__icontains=word)
            | Q(reference__iexact=word)
            | Q(identifiers__value__iexact=word)
        )
    ids = Child.objects.filter(condition).values("pk")
    return (
        visible.filter(pk__in=ids)
        .select_related("allocated_worker", "team")
        .order_by("last_name", "first_name", "date_of_birth")[:SEARCH_LIMIT]
    )


def child_get(*, actor: User, public_id: uuid.UUID | str, audit_view: bool = True) -> Child:
    """Open a child's record for the actor, logging the view (C11).

    Raises PermissionDenied (logged) if the actor may not, and ReasonRequired if the
    record is restricted and the actor has not yet given a reason.
    """
    child = get_object_or_404(Child.objects.select_related("merged_into"), public_id=public_id)
    decision = policy.can_view_child(actor, child)
    if not decision.allowed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ACCESS_DENIED,
            obj=child,
            child_id=child.public_id,
            summary="Refused: no relationship to this child",
        )
        raise PermissionDenied
    if decision.needs_reason:
        raise ReasonRequired(child)
    if audit_view:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            obj=child,
            child_id=child.public_id,
            summary="Viewed record",
        )
    return child


def child_for_reason(*, actor: User, public_id: uuid.UUID | str) -> Child:
    """The restricted child the actor is asking to open; only if they could open it at all."""
    child = get_object_or_404(Child, public_id=public_id)
    if not policy.can_view_child(actor, child).allowed:
        raise PermissionDenied
    return child


def child_lookup_by_reference(*, actor: User, reference: str) -> Child | None:
    found = policy.visible_children(actor).filter(reference__iexact=reference.strip()).first()
    return found


def child_current_legal_status(child: Child) -> str | None:
    """The open legal status begun last. Reads `legal_statuses` through `.all()`, so a list
    that prefetches them (the API's) asks the database nothing more a child."""
    open_ = [row for row in child.legal_statuses.all() if row.end_date is None]
    current = max(open_, key=lambda row: (row.start_date, row.pk), default=None)
    return current.status if current else None


def duplicate_reviews(
    *, actor: User, status: str = DuplicateReview.Status.OPEN
) -> QuerySet[DuplicateReview]:
    """The review list of possible duplicates (issue 18), oldest first, for those who may see
    it (`policy.can_see_duplicate_reviews`); the page shows each child in full or by
    reference as `policy.children_shown_in_full` says."""
    if not policy.can_see_duplicate_reviews(actor):
        raise PermissionDenied
    return (
        DuplicateReview.objects.filter(status=status)
        .select_related("new_child", "matched_child", "decided_by")
        .order_by("created_at", "id")
    )


def duplicate_reviews_open_count(*, actor: User) -> int | None:
    """How many pairs wait on the review list, or None for someone who may not see it."""
    if not policy.can_see_duplicate_reviews(actor):
        return None
    return DuplicateReview.objects.filter(status=DuplicateReview.Status.OPEN).count()


def duplicate_review_get(*, actor: User, public_id: uuid.UUID | str) -> DuplicateReview:
    """One entry of the review list, whatever its status, for those who may see the list."""
    if not policy.can_see_duplicate_reviews(actor):
        raise PermissionDenied
    return get_object_or_404(
        DuplicateReview.objects.select_related("new_child", "matched_child"), public_id=public_id
    )


@dataclass(frozen=True)
class ChildHeader:
    """The child at a glance (issue 19 point 2): what the header on every child page shows.

    `full` is False for a restricted record the viewer has not opened with a reason (C11):
    the header then shows the reference and "Restricted" only, and every other field is
    empty. `photo` is a slot for a photograph when MACE holds one (issue 20 point 3); none
    is held yet."""

    child: Child
    full: bool
    age: int | None = None
    legal_status: str = ""
    exploitation_level: str = ""
    exploitation_assessed_at: datetime.datetime | None = None
    open_episode: Episode | None = None
    missing_for: datetime.timedelta | None = None
    police_risk: str = ""
    allocated_worker: str = ""
    team: str = ""
    restricted: bool = False
    overdue: list[DueItem] = field(default_factory=list)
    photo: None = None


def child_header(*, actor: User, child: Child) -> ChildHeader | None:
    """The header of a child page, for this actor: None if they may not open the record at
    all, the reference and "Restricted" only until they give a reason for a restricted one
    (`policy.can_view_child`). In a handful of queries, whatever the child's history: the
    access decision, the legal status, the latest assessment, the open episode with its
    gradings, the overdue items."""
    decision = policy.can_view_child(actor, child)
    if not decision.allowed:
        return None
    if decision.needs_reason:
        return ChildHeader(child=child, full=False, restricted=True)
    now = timezone.now()
    today = timezone.localdate(now)
    status = (
        LegalStatus.objects.filter(child=child)
        .in_force_on(today)
        .order_by("-start_date", "-id")
        .values_list("status", flat=True)
        .first()
    )
    assessment = (
        Assessment.objects.filter(child=child)
        .order_by("-assessed_at", "-id")
        .only("assessed_at", "computed_level", "override_level")
        .first()
    )
    episode = (
        Episode.objects.filter(child=child, returned_at__isnull=True)
        .prefetch_related("risk_gradings")
        .first()
    )
    grading = episode.current_risk if episode is not None else None
    overdue = list(
        DueItem.objects.filter(child=child, status=DueItem.Status.OPEN, due_at__lt=now).order_by(
            "due_at", "id"
        )[:HEADER_OVERDUE_LIMIT]
    )
    worker = child.allocated_worker
    return ChildHeader(
        child=child,
        full=True,
        age=child.age_on(today),
        legal_status=LegalStatusKind(status).label if status else "",
        exploitation_level=RiskLevel(assessment.level).label if assessment else "",
        exploitation_assessed_at=assessment.assessed_at if assessment else None,
        open_episode=episode,
        missing_for=now - episode.last_seen_at if episode is not None else None,
        police_risk=grading.get_grade_display() if grading is not None else "",
        allocated_worker=worker.display_name if worker is not None else "",
        team=child.team.name if child.team is not None else "",
        restricted=child.is_restricted,
        overdue=overdue,
    )
