"""Every page needs a signed-in account that has passed two-factor authentication (C11)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths reachable before two-factor is complete: signing in itself, and static assets.
_OPEN_NAMES = ("accounts:login", "accounts:logout")
_SECOND_FACTOR_NAMES = ("accounts:two_factor", "accounts:two_factor_setup")
# The API's tokens are made only after both factors (mace.api.tokens); it answers in JSON.
API_PREFIX = "/api/"


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)  # the API authenticates each request by token
        open_paths = {reverse(name) for name in _OPEN_NAMES}
        if request.path in open_paths:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not user.is_verified():  # type: ignore[attr-defined]
            second_factor = {reverse(name) for name in _SECOND_FACTOR_NAMES}
            if request.path in second_factor:
                return self.get_response(request)
            return redirect("accounts:two_factor")
        if user.must_change_password and request.path != reverse("accounts:password_change"):
            return redirect("accounts:password_change")
        return self.get_response(request)
