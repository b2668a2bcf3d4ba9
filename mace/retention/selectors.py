"""Retention's reads, for managers (`policy.can_review_retention`)."""

from django.db.models import QuerySet
from django.http import Http404

from mace.access.policy import can_review_retention, require
from mace.accounts.models import User
from mace.retention.models import RetentionReview


def open_reviews(*, actor: User) -> QuerySet[RetentionReview]:
    """The review list: open reviews, soonest due first."""
    require(can_review_retention(actor))
    return RetentionReview.objects.filter(status=RetentionReview.Status.OPEN).select_related(
        "child", "note"
    )


def decided_reviews(*, actor: User) -> QuerySet[RetentionReview]:
    """Decisions still held (a purge removes a child's reviews with the child)."""
    require(can_review_retention(actor))
    return RetentionReview.objects.exclude(status=RetentionReview.Status.OPEN).select_related(
        "child", "note", "decided_by"
    )


def review_get(*, actor: User, public_id: str) -> RetentionReview:
    require(can_review_retention(actor))
    try:
        return RetentionReview.objects.select_related("child", "note").get(public_id=public_id)
    except RetentionReview.DoesNotExist:
        raise Http404 from None
