"""The retention pages (issue 20 point 1): the review list, a decision, and the purge's
confirmation saying exactly what will be deleted. Managers only (`policy`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mace.access import policy
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.retention import rules, selectors, services
from mace.retention.forms import DecisionForm, PurgeForm
from mace.retention.models import RetentionReview

LISTED_A_PAGE = 200


def index(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    reviews = selectors.open_reviews(actor=actor)
    today = timezone.localdate()
    rows = [
        {"review": review, "decidable": policy.can_decide_retention(actor, review)}
        for review in reviews[:LISTED_A_PAGE]
    ]
    return render(
        request,
        "retention/index.html",
        {
            "rows": rows,
            "count": reviews.count(),
            "shown": len(rows),
            "today": today,
            "decided": selectors.decided_reviews(actor=actor).order_by("-decided_at")[:20],
            "periods": rules.periods(),
            "can_configure": policy.can_configure(actor),
        },
    )


def _subject(actor: object, review: RetentionReview) -> dict[str, object]:
    """What the pages say about the record under review: a child by reference and age (the
    record links to its page, which asks its own questions); a note's text only to those
    cleared for intelligence."""
    today = timezone.localdate()
    if review.child is not None:
        return {"kind": "child", "child": review.child, "age": review.child.age_on(today)}
    return {"kind": "note", "note": review.note}


def decide(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    review = selectors.review_get(actor=actor, public_id=public_id)
    policy.require(policy.can_decide_retention(actor, review))
    if review.status != RetentionReview.Status.OPEN:
        messages.info(request, services.NOT_OPEN)
        return redirect("retention:index")
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        if decision == DecisionForm.DELETE:
            return redirect("retention:purge", public_id=review.public_id)
        try:
            if decision == DecisionForm.KEEP:
                services.retention_review_keep(
                    actor=actor,
                    review=review,
                    reason=form.cleaned_data["reason"],
                    next_review_on=form.cleaned_data["next_review_on"],
                )
                messages.success(request, "Decision recorded: the record is kept")
            else:
                services.retention_review_later(
                    actor=actor,
                    review=review,
                    next_review_on=form.cleaned_data["next_review_on"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "Decision recorded: the record will be reviewed later")
            return redirect("retention:index")
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "retention/decide.html",
        {"form": form, "review": review, **_subject(actor, review)},
    )


def purge_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    review = selectors.review_get(actor=actor, public_id=public_id)
    policy.require(policy.can_decide_retention(actor, review))
    if review.status != RetentionReview.Status.OPEN:
        messages.info(request, services.NOT_OPEN)
        return redirect("retention:index")
    form = PurgeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_purge(actor=actor, review=review, reason=form.cleaned_data["reason"])
            messages.success(request, "The record was deleted. The audit trail keeps a note of it")
            return redirect("retention:index")
        except ValidationError as error:
            apply_errors(form, error)
    preview = services.purge_preview(actor=actor, review=review)
    return render(
        request,
        "retention/purge.html",
        {
            "form": form,
            "review": review,
            "counts": preview.counts,
            "total": sum(count for _, count in preview.counts),
            **_subject(actor, review),
        },
    )
