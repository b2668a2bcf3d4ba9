"""Responses that no browser or proxy keeps (issue 16 point 9)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Mark every response `Cache-Control: no-store`: pages, downloads, the API, error pages
    and the sign-in pages alike. They may hold personal data, and a shared computer's
    browser cache or a proxy must not keep it. It sits after WhiteNoise in MIDDLEWARE, so
    static files, which WhiteNoise answers before this is reached, stay cacheable. A response
    that already says no-store keeps its own words (a photograph's "private, no-store")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
