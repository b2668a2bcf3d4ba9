"""Searching the audit trail by child and by user (C11): managers and auditors only.

Everyone who may read the trail sees who did what, to which record type and fields, and
when. The values before and after, and the reasons given, are shown only where
`policy.can_see_audit_values` allows; elsewhere they are masked (issue 16).
"""

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from mace.access import policy
from mace.accounts.models import User
from mace.audit import labels
from mace.audit.models import AuditEvent
from mace.people.models import Child

AUDIT_PAGE_SIZE = 200
MASKED = "•••"


@dataclass(frozen=True)
class MatchedChild:
    """A child the search matched: the reference always, the name only for those who may
    see the child's values."""

    reference: str
    name: str = ""


@dataclass(frozen=True)
class FieldChange:
    """One field of an event: its name and its values before and after ("" where the event
    holds none, MASKED where this user may not see it)."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """An audit event as this user may see it."""

    event: AuditEvent
    shows_values: bool
    changes: list[FieldChange]
    reason: str

    @property
    def gave_reason(self) -> bool:
        return bool(self.event.reason)

    @property
    def record_type(self) -> str:
        """The kind of record, in words ("Missing episode")."""
        return labels.record_type(self.event.object_type)


def _as_public_id(term: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(term)
    except ValueError:
        return None


def audit_search(
    *,
    actor: User,
    child: str = "",
    username: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> tuple[QuerySet[AuditEvent], list[MatchedChild]]:
    """Events matching every given filter, newest first, and the children the filter matched.

    `child` is a MACE reference or public id (merged records included, so their history
    can still be found) or, for those `policy.can_search_audit_by_child_name` allows, words
    of the name of a child they may open.
    """
    policy.require(policy.can_read_audit(actor))
    events = AuditEvent.objects.select_related("actor")
    matched: list[MatchedChild] = []
    term = child.strip()
    if term:
        condition = Q(reference__iexact=term)
        public_id = _as_public_id(term)
        if public_id is not None:
            condition |= Q(public_id=public_id)
        children = Child.objects.filter(condition)
        if policy.can_search_audit_by_child_name(actor):
            name = Q()
            for word in (w for w in re.split(r"\s+", term) if w):
                name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
            children |= policy.audit_name_searchable_children(actor).filter(name)
        found = list(children.select_related("merged_into").order_by("reference")[:20])
        events = events.filter(child_id__in=[c.public_id for c in found])
        matched = [_matched(actor, c) for c in found]
    if username.strip():
        events = events.filter(actor_username__iexact=username.strip())
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id"), matched


def _matched(actor: User, child: Child) -> MatchedChild:
    probe = AuditEvent(object_type="people.child", child_id=child.public_id)
    if policy.can_see_audit_values(actor, probe, child):
        return MatchedChild(child.reference, f"{child.first_name} {child.last_name}")
    return MatchedChild(child.reference)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _changes(event: AuditEvent, shows_values: bool) -> list[FieldChange]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    names = [*before, *(key for key in after if key not in before)]

    def value(values: dict[str, Any], key: str) -> str:
        if key not in values:
            return ""
        return _shown(values[key]) if shows_values else MASKED

    return [FieldChange(key, value(before, key), value(after, key)) for key in names]


def audit_entries(*, actor: User, events: list[AuditEvent]) -> list[AuditEntry]:
    """The events as this user may see them: values and reasons masked unless
    `policy.can_see_audit_values` allows. Each child is judged once."""
    policy.require(policy.can_read_audit(actor))
    child_ids = {e.child_id for e in events if e.child_id is not None}
    children = {
        c.public_id: c
        for c in Child.objects.filter(public_id__in=child_ids).select_related("merged_into")
    }
    decisions: dict[tuple[uuid.UUID | None, bool], bool] = {}
    entries = []
    for event in events:
        key = (event.child_id, event.object_type.startswith("intelligence."))
        if key not in decisions:
            child = children.get(event.child_id) if event.child_id else None
            decisions[key] = policy.can_see_audit_values(actor, event, child)
        shows = decisions[key]
        reason = event.reason if shows else ""
        entries.append(AuditEntry(event, shows, _changes(event, shows), reason))
    return entries
