"""Pages for missing episodes. Thin: services and selectors hold the rules."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mace.accounts.models import User
from mace.episodes.models import Episode
from mace.people import selectors


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.select_related("child"), public_id=public_id)
    try:
        selectors.child_get(actor=_actor(request), public_id=episode.child.public_id)
    except selectors.ReasonRequired:
        return redirect("people:reason", public_id=episode.child.public_id)
    return render(request, "episodes/detail.html", {"episode": episode})
