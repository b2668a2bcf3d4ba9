"""Throttling failed sign-ins per account and per address (C11, issue 16 point 11).

django-axes locks an account after LOGIN_FAILURE_LIMIT failures. That alone lets one
address try a common password against every username (password spraying) without ever
locking any account, so failures are also counted per address, up to the much higher
LOGIN_FAILURE_LIMIT_PER_ADDRESS within the same LOGIN_LOCKOUT_MINUTES: a council's or a
police station's staff share a few outgoing addresses, and their mistakes must not lock
them all out. A successful sign-in clears that account's failures (AXES_RESET_ON_SUCCESS),
so only mistakes never put right add up against the address.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in comes from: REMOTE_ADDR, or, behind the TLS proxy that
    BEHIND_TLS_PROXY says is there, the last X-Forwarded-For entry: the one that proxy
    appended. Earlier entries are whatever the client sent, so they are never trusted."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from this request's address within LOGIN_LOCKOUT_MINUTES, whatever
    the username."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def address_throttled(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


class AccountAndAddressHandler(AxesDatabaseHandler):
    """axes' own handler (per account) with the per-address limit added."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_throttled(request):
            request.mace_address_throttled = True  # type: ignore[attr-defined]
            return True
        return False

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:  # type: ignore[attr-defined]
            return
        if address_throttled(request):
            request.mace_address_throttled = True  # type: ignore[attr-defined]
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]


def refusal(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The page shown instead of signing in. It never names the account nor says whether
    one exists: an account's lockout reads the same for any username, and an address's
    throttle the same for every account."""
    context = {
        "by_address": getattr(request, "mace_address_throttled", False),
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
