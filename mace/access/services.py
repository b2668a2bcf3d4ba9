"""Giving a reason to open a restricted record (C11). The reason goes to the audit trail."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mace.access.models import RestrictedAccessGrant
from mace.access.policy import can_view_child, require
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.people.models import Child

MINIMUM_REASON_LENGTH = 10


@transaction.atomic
def restricted_access_grant(*, actor: User, child: Child, reason: str) -> RestrictedAccessGrant:
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
