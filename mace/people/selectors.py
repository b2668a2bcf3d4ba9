"""Reading the people register. Every read takes the requesting user and asks mace.access."""

import datetime
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment, RiskLevel
from mace.lib.days import day_of
from mace.people import search
from mace.people.models import (
    Child,
    ChildAlias,
    ChildDescription,
    ChildIdentifier,
    ChildPhotograph,
    DuplicateReview,
    LegalStatus,
    LegalStatusKind,
)
from mace.worklist.models import DueItem

SEARCH_LIMIT = 50  # what `child_search` returns to a picker (the intelligence link page)
RECENTLY_VIEWED = 10
MY_CHILDREN_SHOWN = 25
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


def child_search(*, actor: User, query: str) -> list[Child]:
    """The best SEARCH_LIMIT children of `child_search_ranked`, best first (for pickers);
    none for a query that cannot be searched for."""
    try:
        ids = child_search_ranked(actor=actor, query=query)[:SEARCH_LIMIT]
    except search.BadQuery:
        return []
    return children_in_order(ids)


def child_search_ranked(*, actor: User, query: str) -> list[int]:
    """The ids of the children the actor may find (`policy.visible_children`) that match what
    was typed, best first (issue 19 point 4; `people.search` says how a query is read).

    SQL narrows first: by the date of birth typed, by each reference word (a part of the
    MACE reference, or a whole identifier), and for names by the first letter of a word of a
    name or alias. The names of those left are then scored in Python (`search.name_match`).
    Ranked exact, then by the start of a word, then fuzzy; then by score, name and reference.
    Raises `search.BadQuery` for what cannot be searched for.
    """
    policy.require(policy.can_search_children(actor))
    parsed = search.parse_query(query, timezone.localdate())
    found = policy.visible_children(actor)
    if parsed.date_of_birth is not None:
        found = found.filter(date_of_birth=parsed.date_of_birth)
    by_identifier: set[int] = set()
    for word in parsed.references:
        identified = ChildIdentifier.objects.filter(value__iexact=word).values("child_id")
        found = found.filter(Q(reference__icontains=word) | Q(pk__in=identified))
        by_identifier |= set(identified.values_list("child_id", flat=True))
    if parsed.names:
        found = found.filter(_starting_with_any(parsed.letters))
    rows = list(
        found.values_list(
            "pk", "first_name", "middle_names", "last_name", "preferred_name", "reference"
        )
    )
    aliases: dict[int, list[str]] = defaultdict(list)
    if parsed.names and rows:
        held = ChildAlias.objects.filter(child_id__in=[row[0] for row in rows])
        for child_id, name in held.values_list("child_id", "name"):
            aliases[child_id].append(name)
    ranked = []
    for pk, first, middle, last, preferred, reference in rows:
        rank, score = search.EXACT, 100
        if parsed.references and pk not in by_identifier:
            rank = search.reference_rank(parsed.references, reference)
        if parsed.names:
            names = [f"{first} {last}", f"{first} {middle} {last}", *aliases[pk]]
            if preferred:
                names.append(f"{preferred} {last}")
            match = search.name_match(parsed.names, names)
            if match is None:
                continue
            rank, score = max(rank, match.rank), match.score
        ranked.append(((rank, -score, last.casefold(), first.casefold(), reference), pk))
    ranked.sort()
    return [pk for _, pk in ranked]


def _starting_with_any(letters: set[str]) -> Q:
    """Children with a name or an alias beginning with one of these letters, or a last name
    or alias with a later word beginning with one (after a space, hyphen or apostrophe:
    "O'Neil" for "neil"). A first or last name may begin with an accented capital of the
    letter ("Élodie" for "elodie"). A few conditions a letter: each costs a scan of the names
    (loading every child's names costs less than a hundred)."""
    names, aliases = Q(), Q()
    for letter in sorted(letters):
        for path in ("first_name", "last_name", "preferred_name"):
            names |= Q(**{f"{path}__istartswith": letter})
        for variant in search.LETTER_VARIANTS.get(letter, [])[2:]:
            if variant.isupper():
                names |= Q(first_name__startswith=variant) | Q(last_name__startswith=variant)
        aliases |= Q(name__istartswith=letter)
        for before in (" ", "-", "'", "\u2019"):
            names |= Q(last_name__icontains=before + letter)
            aliases |= Q(name__icontains=before + letter)
    return names | Q(pk__in=ChildAlias.objects.filter(aliases).values("child_id"))


def children_in_order(ids: list[int]) -> list[Child]:
    """These children, in this order, with what a list of results shows: worker, team, age
    today (`age_now`), current legal status (`legal_status_label`), and whether an episode
    is open (`missing_now`)."""
    open_episode = Episode.objects.filter(child=OuterRef("pk"), returned_at__isnull=True)
    loaded = (
        Child.objects.filter(pk__in=ids)
        .select_related("allocated_worker", "team")
        .prefetch_related("legal_statuses")
        .annotate(missing_now=Exists(open_episode))
    )
    by_pk = {child.pk: child for child in loaded}
    today = timezone.localdate()
    for child in by_pk.values():
        child.age_now = child.age_on(today)  # type: ignore[attr-defined]
        status = child_current_legal_status(child) or LegalStatusKind.NONE
        child.legal_status_label = LegalStatusKind(status).label  # type: ignore[attr-defined]
    return [by_pk[pk] for pk in ids if pk in by_pk]


def my_children(*, actor: User) -> tuple[list[Child], int]:
    """The children allocated to the actor or to their team that they may find, theirs first,
    then by name: the first MY_CHILDREN_SHOWN, and how many there are in all."""
    mine = Q(allocated_worker=actor)
    if actor.team_id is not None:
        mine |= Q(team_id=actor.team_id)
    found = policy.visible_children(actor).filter(mine)
    total = found.count()
    ordered = found.annotate(
        theirs=Case(When(allocated_worker=actor, then=Value(0)), default=Value(1))
    ).order_by("theirs", Lower("last_name"), Lower("first_name"), "reference")
    ids = list(ordered.values_list("pk", flat=True)[:MY_CHILDREN_SHOWN])
    return children_in_order(ids), total


def recently_viewed(*, actor: User) -> list[Child]:
    """The last RECENTLY_VIEWED children whose records the actor opened (the audit trail's
    views of child records), latest first, of those they may still find."""
    events = AuditEvent.objects.filter(
        actor=actor, action=AuditEvent.Action.VIEW, object_type="people.child"
    ).order_by("-at", "-id")
    public_ids: list[uuid.UUID] = []
    # A few more than are shown, in case some may no longer be found.
    for child_id in events.values_list("child_id", flat=True)[:1000].iterator():
        if child_id is not None and child_id not in public_ids:
            public_ids.append(child_id)
            if len(public_ids) == RECENTLY_VIEWED * 3:
                break
    pks = dict(
        policy.visible_children(actor)
        .filter(public_id__in=public_ids)
        .values_list("public_id", "pk")
    )
    return children_in_order([pks[p] for p in public_ids if p in pks][:RECENTLY_VIEWED])


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
    empty. `photo` is the child's current photograph, if one is held (issue 20 point 3),
    shown through `people.views.photograph`."""

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
    photo: ChildPhotograph | None = None


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
    today = day_of(now)
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
        photo=current_photograph(child) if policy.can_see_photograph(actor, child) else None,
    )


# The photograph and the physical description (issue 20 point 3)


def current_photograph(child: Child) -> ChildPhotograph | None:
    """The photograph taken most recently (then uploaded last); the caller has asked the
    policy (`policy.can_see_photograph`)."""
    return (
        ChildPhotograph.objects.filter(child=child)
        .order_by("-taken_on", "-uploaded_at", "-id")
        .first()
    )


def photographs_of(child: Child) -> list[ChildPhotograph]:
    """Every photograph held of the child, current first; the caller has asked the policy."""
    return list(
        ChildPhotograph.objects.filter(child=child)
        .select_related("uploaded_by")
        .order_by("-taken_on", "-uploaded_at", "-id")
    )


def description_of(child: Child) -> ChildDescription | None:
    """The child's physical description, if one was recorded; the caller has asked the
    policy (`policy.can_see_photograph`: the same people see both)."""
    return ChildDescription.objects.filter(child=child).first()


def photograph_get(*, actor: User, public_id: uuid.UUID | str) -> ChildPhotograph:
    """Open a photograph for the actor, logging the view as a view of the child's record is
    logged (C11). PermissionDenied (logged) for anyone who may not open the child's record,
    and for a restricted record before a reason is given (an image cannot ask for one)."""
    photograph = get_object_or_404(
        ChildPhotograph.objects.select_related("child"), public_id=public_id
    )
    child = photograph.child
    if not policy.can_see_photograph(actor, child):
        if not policy.can_view_child(actor, child).allowed:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.ACCESS_DENIED,
                obj=photograph,
                child_id=child.public_id,
                summary="Refused: no relationship to this child",
            )
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        obj=photograph,
        child_id=child.public_id,
        summary="Viewed photograph",
    )
    return photograph
