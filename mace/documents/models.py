"""Documents MACE prepares from the record (SPEC C10)."""

import uuid

from django.conf import settings
from django.db import models


class DirectorLetter(models.Model):
    """The director-to-director letter of 003 A8, for a child placed here by another
    authority who has gone missing repeatedly (003 §15, T11)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="director_letters"
    )
    placing_authority = models.ForeignKey("people.LocalAuthority", on_delete=models.PROTECT)
    episode_count = models.PositiveIntegerField()
    prepared_at = models.DateTimeField(auto_now_add=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at"]
