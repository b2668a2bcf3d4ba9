"""Keeping the worklist in step with the facts: the rules say what is due, this saves it.

`sync_child` runs every rule for one child and reconciles the DueItem rows: new items are
created, changed deadlines move, items whose facts are now met close as done, and items no
rule asks for any more close as not needed. It also refreshes the reporting table's rows of
the child's episodes (`mace.reports.facts`). It is idempotent: running it twice changes
nothing the second time. Services call it in their transaction after changing the facts.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mace.disruption.models import DisruptionAction
from mace.documents.models import DirectorLetter
from mace.education.models import CMECase
from mace.education.terms import home_calendar
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment
from mace.meetings.models import (
    MeetingAction,
    PanelAction,
    PanelMeeting,
    StrategyMeeting,
    SupervisionDiscussion,
)
from mace.people.models import Child
from mace.reports import facts as report_facts
from mace.worklist.models import DueItem
from mace.worklist.rules import RULES, T21, ChildFacts, Due
from mace.worklist.thresholds import thresholds


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    closed: int = 0
    reopened: int = 0

    def __iadd__(self, other: "SyncResult") -> "SyncResult":
        self.created += other.created
        self.moved += other.moved
        self.closed += other.closed
        self.reopened += other.reopened
        return self

    @property
    def changed(self) -> int:
        return self.created + self.moved + self.closed + self.reopened


def load_facts(child: Child, now: datetime.datetime | None = None) -> ChildFacts:
    episodes = list(
        Episode.objects.filter(child=child)
        .select_related("placement__placing_authority", "safe_and_well", "return_interview__worker")
        .prefetch_related("risk_gradings", "notifications", "return_interview__offers")
        .order_by("last_seen_at")
    )
    cme_cases = list(CMECase.objects.filter(child=child).select_related("officer"))
    return ChildFacts(
        child=Child.objects.select_related("allocated_worker", "team").get(pk=child.pk),
        episodes=episodes,
        placements=list(child.placements.select_related("placing_authority")),
        strategy_meetings=list(StrategyMeeting.objects.filter(child=child)),
        director_letters=list(DirectorLetter.objects.filter(child=child)),
        supervision=list(SupervisionDiscussion.objects.filter(child=child)),
        now=now or timezone.now(),
        assessments=list(Assessment.objects.filter(child=child).order_by("assessed_at", "pk")),
        disruption_actions=list(
            DisruptionAction.objects.filter(child=child).select_related("owner", "monitor")
        ),
        panel_actions=list(PanelAction.objects.filter(child=child).select_related("owner")),
        meeting_actions=list(
            MeetingAction.objects.filter(meeting__child=child).select_related("owner")
        ),
        transition_referrals=list(child.transition_referrals.all()),
        cme_cases=cme_cases,
        school_calendar=home_calendar() if cme_cases else None,
    )


def wanted(facts: ChildFacts) -> list[Due]:
    settings_now = thresholds()
    return [due for rule in RULES for due in rule.due(facts, settings_now)]


@transaction.atomic
def sync_child(child: Child) -> SyncResult:
    """Bring the child's worklist items, and the reporting table's rows of their episodes,
    in step with what is recorded."""
    report_facts.refresh([child.pk])
    facts = load_facts(child)
    existing = {item.key: item for item in DueItem.objects.select_for_update().filter(child=child)}
    return _reconcile(existing, wanted(facts), child=child)


@transaction.atomic
def sync_meeting(meeting: PanelMeeting) -> SyncResult:
    """Keep a meeting's own item (T21, the minutes) in step with the meeting."""
    meeting = PanelMeeting.objects.select_related("series__chair").get(pk=meeting.pk)
    existing = {
        item.key: item for item in DueItem.objects.select_for_update().filter(meeting=meeting)
    }
    due = T21.due(meeting, thresholds())
    return _reconcile(existing, [due] if due else [], meeting=meeting)


def _reconcile(
    existing: dict[str, DueItem],
    wanted_items: list[Due],
    *,
    child: Child | None = None,
    meeting: PanelMeeting | None = None,
) -> SyncResult:
    result = SyncResult()
    now = timezone.now()
    seen: set[str] = set()
    for due in wanted_items:
        seen.add(due.key)
        status = DueItem.Status.DONE if due.done else DueItem.Status.OPEN
        item = existing.get(due.key)
        fields = {
            "rule": due.rule,
            "title": due.title,
            "episode": due.episode,
            "assignee": due.assignee,
            "team": due.team,
            "role": due.role,
            "due_at": due.due_at,
        }
        if item is None:
            DueItem.objects.create(
                key=due.key,
                child=child,
                meeting=meeting,
                status=status,
                closed_at=now if due.done else None,
                **fields,
            )
            result.created += 1
            continue
        changed = [name for name, value in fields.items() if _differs(item, name, value)]
        if "due_at" in changed:
            result.moved += 1
            item.warned_at = None
            item.escalated_at = None
            changed += ["warned_at", "escalated_at"]
        for name in changed:
            if name not in ("warned_at", "escalated_at"):
                setattr(item, name, fields[name])
        if item.status != status:
            if status == DueItem.Status.OPEN:
                result.reopened += 1
                item.closed_at = None
            else:
                result.closed += 1
                item.closed_at = now
            item.status = status
            changed += ["status", "closed_at"]
        if changed:
            item.save(update_fields=[*set(changed), "updated_at"])
    for key, item in existing.items():
        if key not in seen and item.status == DueItem.Status.OPEN:
            item.status = DueItem.Status.NOT_NEEDED
            item.closed_at = now
            item.save(update_fields=["status", "closed_at", "updated_at"])
            result.closed += 1
    return result


def _differs(item: DueItem, name: str, value: object) -> bool:
    if name in ("episode", "assignee", "team"):
        current_id = getattr(item, f"{name}_id")
        return current_id != (value.pk if value is not None else None)  # type: ignore[attr-defined]
    return bool(getattr(item, name) != value)


def children_to_check(now: datetime.datetime) -> "list[int]":
    """Children whose items may change with time alone: open items, or recent episodes."""
    th = thresholds()
    recent = now - th.supervision_active_for - th.supervision_every
    with_open = DueItem.objects.filter(status=DueItem.Status.OPEN, child__isnull=False).values_list(
        "child_id", flat=True
    )
    with_recent = Episode.objects.filter(reported_at__gte=recent).values_list("child_id", flat=True)
    return sorted(set(with_open) | set(with_recent))
