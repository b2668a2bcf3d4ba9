"""API tokens (issue 8): made on a page by someone signed in with both factors, shown once,
kept only as a hash (django-rest-knox), expiring after API_TOKEN_DAYS, revocable."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from mace.audit.models import AuditEvent
from mace.audit.services import audit_record

MAX_TOKENS = 5


def _ttl() -> datetime.timedelta:
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert isinstance(ttl, datetime.timedelta)
    return ttl


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": tokens,
            "now": timezone.now(),
            "new_token": request.session.pop("api_new_token", None),
            "max_tokens": MAX_TOKENS,
            "ttl_days": _ttl().days,
        },
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    live = AuthToken.objects.filter(user=user, expiry__gt=timezone.now())
    if live.count() >= MAX_TOKENS:
        messages.error(
            request, f"You already have {MAX_TOKENS} tokens. Revoke one you no longer use first."
        )
        return redirect("api_tokens:list")
    instance, token = AuthToken.objects.create(user=user)
    audit_record(
        actor=user,  # type: ignore[arg-type]
        action=AuditEvent.Action.CREATE,
        object_type="knox.authtoken",
        object_id=instance.token_key,
        summary="Made an API token",
    )
    # Shown once, on the next page; never stored in plain text.
    request.session["api_new_token"] = token
    return redirect("api_tokens:list")


@require_POST
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    deleted, _ = AuthToken.objects.filter(user=request.user, token_key=key).delete()
    if deleted:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.CHANGE,
            object_type="knox.authtoken",
            object_id=key,
            summary="Revoked an API token",
        )
        messages.success(request, "Token revoked. Anything using it can no longer sign in.")
    return redirect("api_tokens:list")


urlpatterns = [
    path("", token_list, name="list"),
    path("new/", token_create, name="create"),
    path("<str:key>/revoke/", token_revoke, name="revoke"),
]
