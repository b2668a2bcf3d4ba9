"""Worklist pages: my work, my team, the missing coordinator's view, and notifications."""

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mace.access import policy
from mace.accounts.models import User
from mace.frontend.shortcuts import acting_user
from mace.people.selectors import duplicate_reviews_open_count
from mace.worklist import selectors
from mace.worklist.models import DueItem, Notification
from mace.worklist.rules import RULES_BY_CODE


def _rows(items: Iterable[DueItem], actor: User) -> list[dict[str, object]]:
    now = timezone.now()
    items = list(items)
    hidden = policy.children_not_shown_in_full(actor, [i.child for i in items if i.child])
    return [
        {
            "item": item,
            "state": selectors.due_state(item, now),
            "hidden": item.child_id in hidden,
            "source": RULES_BY_CODE[item.rule].source if item.rule in RULES_BY_CODE else "",
        }
        for item in items
    ]


def _tabs(actor: User, current: str) -> list[dict[str, object]]:
    tabs = [("mine", "My work", "worklist:mine", policy.can_have_worklist(actor))]
    tabs.append(("team", "My team", "worklist:team", policy.can_see_team_work(actor)))
    tabs.append(
        (
            "coordinator",
            "Missing coordinator",
            "worklist:coordinator",
            policy.can_see_coordinator_view(actor),
        )
    )
    return [
        {"key": key, "label": label, "url_name": name, "current": key == current}
        for key, label, name, allowed in tabs
        if allowed
    ]


def mine(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    items = selectors.my_work(actor=actor).only(*selectors.DUE_ROW_FIELDS)
    context = {"rows": _rows(items, actor), "tabs": _tabs(actor, "mine"), "heading": "My work"}
    return render(request, "worklist/items.html", context)


def team(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    items = selectors.team_work(actor=actor).only(*selectors.DUE_ROW_FIELDS)
    context = {
        "rows": _rows(items, actor),
        "tabs": _tabs(actor, "team"),
        "heading": "My team's work",
    }
    return render(request, "worklist/items.html", context)


COORDINATOR_PAGE_SIZE = 50


def _page(request: HttpRequest, rows: Any, name: str, label: str) -> dict[str, Any]:
    """One page of a list, chosen by the query parameter `name` (a number; anything else is the
    first page, a number past the end the last), with links to the pages either side that
    keep the other lists where they are."""
    page = Paginator(rows, COORDINATOR_PAGE_SIZE).get_page(request.GET.get(name))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = str(number)
        return f"?{query.urlencode()}#{name}"

    return {
        "page": page,
        "name": name,
        "label": label,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def coordinator(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    view = selectors.coordinator_view(actor=actor)
    missing = _page(request, view.open_episodes, "missing", "Children missing now")
    overdue = _page(request, view.interviews_overdue, "overdue", "Return interviews overdue")
    due = _page(request, view.interviews_due, "due", "Return interviews due")
    refused = _page(request, view.interviews_refused, "refused", "Return interviews refused")
    context = {
        "missing": missing,
        "overdue": overdue,
        "due": due,
        "refused": refused,
        "due_rows": _rows(due["page"].object_list, actor),
        "overdue_rows": _rows(overdue["page"].object_list, actor),
        "hidden": policy.children_not_shown_in_full(
            actor,
            [episode.child for episode in missing["page"].object_list]
            + [interview.episode.child for interview in refused["page"].object_list],
        ),
        "tabs": _tabs(actor, "coordinator"),
        "now": timezone.now(),
        "duplicates_to_review": duplicate_reviews_open_count(actor=actor),
    }
    return render(request, "worklist/coordinator.html", context)


def notifications(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(actor.is_authenticated)
    items = list(selectors.notifications_for(actor=actor))
    return render(request, "worklist/notifications.html", {"notifications": items})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("worklist:notifications")
