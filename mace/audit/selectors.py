"""Searching the audit trail by child and by user (C11): managers and auditors only."""

import datetime
import re

from django.db.models import Q, QuerySet

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.people.models import Child

AUDIT_PAGE_SIZE = 200


def audit_search(
    *,
    actor: User,
    child: str = "",
    username: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> tuple[QuerySet[AuditEvent], list[Child]]:
    """Events matching every given filter, newest first, and the children the filter matched.

    `child` is a MACE reference or words of a name (merged records included, so their
    history can still be found).
    """
    policy.require(policy.can_read_audit(actor))
    events = AuditEvent.objects.select_related("actor")
    matched: list[Child] = []
    if child.strip():
        condition = Q(reference__iexact=child.strip())
        words = [w for w in re.split(r"\s+", child.strip()) if w]
        name = Q()
        for word in words:
            name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        matched = list(Child.objects.filter(condition | name).order_by("reference")[:20])
        events = events.filter(child_id__in=[c.public_id for c in matched])
    if username.strip():
        events = events.filter(actor_username__iexact=username.strip())
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id"), matched
