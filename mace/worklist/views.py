"""Worklist pages: my work, my team, the missing coordinator's view, and notifications."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mace.access import policy
from mace.accounts.models import User
from mace.worklist import selectors
from mace.worklist.models import Notification
from mace.worklist.rules import RULES_BY_CODE


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _rows(items: object) -> list[dict[str, object]]:
    now = timezone.now()
    return [
        {
            "item": item,
            "state": selectors.due_state(item, now),
            "source": RULES_BY_CODE[item.rule].source if item.rule in RULES_BY_CODE else "",
        }
        for item in items  # type: ignore[attr-defined]
    ]


def _tabs(actor: User, current: str) -> list[dict[str, object]]:
    tabs = [("mine", "My work", "worklist:mine", selectors.can_have_worklist(actor))]
    tabs.append(("team", "My team", "worklist:team", selectors.can_see_team_work(actor)))
    tabs.append(
        (
            "coordinator",
            "Missing coordinator",
            "worklist:coordinator",
            selectors.can_see_coordinator_view(actor),
        )
    )
    return [
        {"key": key, "label": label, "url_name": name, "current": key == current}
        for key, label, name, allowed in tabs
        if allowed
    ]


def mine(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = selectors.my_work(actor=actor)
    context = {"rows": _rows(items), "tabs": _tabs(actor, "mine"), "heading": "My work"}
    return render(request, "worklist/items.html", context)


def team(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = selectors.team_work(actor=actor)
    context = {"rows": _rows(items), "tabs": _tabs(actor, "team"), "heading": "My team's work"}
    return render(request, "worklist/items.html", context)


def coordinator(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    view = selectors.coordinator_view(actor=actor)
    context = {
        "view": view,
        "due_rows": _rows(view.interviews_due),
        "overdue_rows": _rows(view.interviews_overdue),
        "tabs": _tabs(actor, "coordinator"),
        "now": timezone.now(),
    }
    return render(request, "worklist/coordinator.html", context)


def notifications(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    policy.require(actor.is_authenticated)
    items = list(selectors.notifications_for(actor=actor))
    return render(request, "worklist/notifications.html", {"notifications": items})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("worklist:notifications")
