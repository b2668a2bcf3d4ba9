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
    # Imported here: the policy imports models, which are not ready when settings load.
    from mace.access import policy

    if policy.can_see_duplicate_reviews(request.user):  # type: ignore[arg-type]
        tasks.append(
            {
                "label": "Possible duplicate records",
                "url": reverse("people:duplicates"),
                "description": "Children added by an import or an education notification who "
                "may already have had a record: merge them or confirm they are different.",
            }
        )
    return render(request, "frontend/home.html", {"tasks": tasks})
