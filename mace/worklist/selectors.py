"""Reading worklists (C8): my work, my team, and the missing coordinator's view."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import User
from mace.episodes.models import Episode, RiskGrading
from mace.interviews.models import ReturnInterview
from mace.worklist.models import DueItem, Notification
from mace.worklist.thresholds import thresholds

REFUSED_WINDOW = datetime.timedelta(days=90)


# The columns of the due items a worklist page shows (`_due_table.html`).
DUE_ROW_FIELDS = (
    "public_id",
    "status",
    "due_at",
    "rule",
    "title",
    "role",
    "child__public_id",
    "child__first_name",
    "child__last_name",
    "child__reference",
    "episode__public_id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "team__name",
    "reassigned_to__first_name",
    "reassigned_to__last_name",
    "reassigned_to__username",
    "meeting__public_id",
    "meeting__date",
    "meeting__series__name",
)


def _open(actor: User, include_done: bool = False) -> QuerySet[DueItem]:
    statuses = [DueItem.Status.OPEN, DueItem.Status.DONE] if include_done else [DueItem.Status.OPEN]
    return (
        DueItem.objects.filter(status__in=statuses)
        .filter(
            policy.visible_children_filter(actor) | Q(child__isnull=True, meeting__isnull=False)
        )
        .select_related("child", "episode", "assignee", "team", "reassigned_to", "meeting__series")
        .order_by("due_at", "id")
    )


def my_work(*, actor: User, include_done: bool = False) -> QuerySet[DueItem]:
    """Items for me: mine by name, my role's shared queue, or my team's unassigned ones; open
    only unless `include_done` (the worklist filter then chooses, worklist.filters)."""
    policy.require(policy.can_have_worklist(actor))
    mine = Q(assignee=actor) | Q(role=actor.role, assignee__isnull=True)
    if actor.team_id is not None:
        mine |= Q(team_id=actor.team_id, assignee__isnull=True)
    # An item reassigned (issue 19) is its new owner's alone.
    return _open(actor, include_done).filter(
        Q(reassigned_to=actor) | (Q(reassigned_to__isnull=True) & mine)
    )


def team_work(*, actor: User, include_done: bool = False) -> QuerySet[DueItem]:
    """A manager's oversight: everything open for their team's workers and children."""
    policy.require(policy.can_see_team_work(actor))
    if actor.team_id is None:
        return _open(actor, include_done)
    team = actor.team_id
    return _open(actor, include_done).filter(
        Q(team_id=team)
        | Q(assignee__team_id=team)
        | Q(child__team_id=team)
        | Q(reassigned_to__team_id=team)
    )


@dataclass
class CoordinatorView:
    """Each list unevaluated, most urgent first, so the page can show them a page at a time
    (a whole region's can run to thousands of rows)."""

    open_episodes: QuerySet[Episode]
    interviews_due: QuerySet[DueItem]
    interviews_overdue: QuerySet[DueItem]
    interviews_refused: QuerySet[ReturnInterview]


def coordinator_view(*, actor: User) -> CoordinatorView:
    """Every open episode and every return interview not yet done (C8)."""
    policy.require(policy.can_see_coordinator_view(actor))
    now = timezone.now()
    # Only the columns the page shows: a page of wide rows cost more to load than to find.
    episodes = (
        Episode.objects.filter(returned_at__isnull=True)
        .filter(policy.visible_children_filter(actor))
        .select_related("child")
        .only(
            "public_id",
            "last_seen_at",
            "legal_status",
            "child__public_id",
            "child__first_name",
            "child__last_name",
            "child__reference",
        )
        .prefetch_related(
            Prefetch(
                "risk_gradings",
                queryset=RiskGrading.objects.only("episode_id", "grade", "graded_at"),
            )
        )
        .order_by("last_seen_at", "id")
    )
    interview_items = _open(actor).filter(rule="T7").only(*DUE_ROW_FIELDS)
    refused = (
        ReturnInterview.objects.filter(
            status=ReturnInterview.Status.DECLINED, referred_at__gte=now - REFUSED_WINDOW
        )
        .filter(policy.visible_children_filter(actor, "episode__child"))
        .select_related("episode__child", "provider")
        .only(
            "refusal_safeguarding_considered",
            "episode__public_id",
            "episode__child__first_name",
            "episode__child__last_name",
            "episode__child__reference",
            "provider__name",
            "provider_rule",
        )
        .order_by("-referred_at", "-id")
    )
    return CoordinatorView(
        open_episodes=episodes,
        interviews_due=interview_items.filter(due_at__gte=now),
        interviews_overdue=interview_items.filter(due_at__lt=now),
        interviews_refused=refused,
    )


def children_of(items: QuerySet[DueItem]) -> QuerySet[DueItem]:
    """Each child of the list once (issue 19: not once per past episode): the child's most
    urgent item, with `more` the number of the child's other items in the list. Items about
    a meeting are kept as they are (each its own group). Window functions over the list, one
    pass, rather than two correlated subqueries an item (with migration 0011's statistics,
    1.6 s to 10 ms a list nationally)."""
    group = [Coalesce(F("child_id"), -F("id"))]
    return (
        items.annotate(
            place=Window(
                RowNumber(), partition_by=group, order_by=[F("due_at").asc(), F("id").asc()]
            ),
            more=Window(Count("id"), partition_by=group) - 1,
        )
        .filter(place=1)
        .order_by("due_at", "id")
    )


def due_state(item: DueItem, now: datetime.datetime | None = None) -> str:
    """overdue, due_soon or due: how the worklist marks an item."""
    now = now or timezone.now()
    if item.due_at < now:
        return "overdue"
    if item.due_at - now <= thresholds().due_soon:
        return "due_soon"
    return "due"


def notifications_for(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=actor).select_related("child")[:100]
