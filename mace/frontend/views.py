"""The home page. Django's own error views render the 400, 403, 404 and 500 templates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from mace.frontend.context_processors import navigation


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in user can do in MACE: the service navigation, one card each."""
    home_url = reverse("frontend:home")
    items: list[dict[str, object]] = navigation(request)["nav_items"]  # type: ignore[assignment]
    tasks = [item for item in items if item["url"] != home_url]
    return render(request, "frontend/home.html", {"tasks": tasks})
