"""Permissions to open restricted records, each given for a stated reason (C11)."""

from django.conf import settings
from django.db import models


class RestrictedAccessGrant(models.Model):
    """A user's stated reason for opening a restricted child record, valid for a while."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restricted_grants"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, related_name="restricted_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "child", "expires_at"], name="grant_lookup_idx")]
