"""Worklist pages: my work, my team, the missing coordinator's view, and notifications."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mace.access import policy
from mace.accounts.models import User
from mace.frontend.shortcuts import acting_user
from mace.meetings.models import PanelAction
from mace.people.selectors import duplicate_reviews_open_count
from mace.worklist import filters, selectors, services
from mace.worklist.labels import rule_name
from mace.worklist.models import DueItem, Notification
from mace.worklist.rules import RULES_BY_CODE


def _completions(items: list[DueItem], actor: User) -> dict[int, dict[str, str]]:
    """The items the list can mark as done itself: actions agreed at panels and strategy
    meetings (rule ACT), through their own completion (meetings:actions), for those who may
    change the child's record, or own the action. Other rules close when their facts are
    recorded."""
    found: dict[int, dict[str, str]] = {}
    panel: dict[int, DueItem] = {}
    for item in items:
        if item.rule != "ACT" or item.status != DueItem.Status.OPEN or item.child is None:
            continue
        _, kind, ref = item.key.split(":", 2) if item.key.count(":") == 2 else ("", "", "")
        if kind == "strategy" and ref.isdigit():
            found[item.pk] = {"kind": "strategy", "action": ref}
        elif kind == "panel" and ref.isdigit():
            panel[int(ref)] = item
    for pk, public_id in PanelAction.objects.filter(pk__in=panel).values_list("pk", "public_id"):
        found[panel[pk].pk] = {"kind": "panel", "action": str(public_id)}
    # As the completion itself asks: its owner, or anyone who may change the child's record.
    editable = {
        item.pk
        for item in items
        if item.pk in found
        and item.child is not None
        and (
            policy.can_edit_child(actor, item.child)
            or (item.assignee_id == actor.pk and bool(policy.can_view_child(actor, item.child)))
        )
    }
    return {pk: value for pk, value in found.items() if pk in editable}


def _rows(items: Iterable[DueItem], actor: User) -> list[dict[str, object]]:
    now = timezone.now()
    items = list(items)
    hidden = policy.children_not_shown_in_full(actor, [i.child for i in items if i.child])
    reassignable = policy.items_reassignable(actor, items)
    completions = _completions(items, actor)
    rows: list[dict[str, object]] = []
    previous_child: object = object()
    for item in items:
        rows.append(
            {
                "item": item,
                "state": selectors.due_state(item, now) if item.status == "open" else "done",
                "in_words": filters.due_in_words(item, now),
                "hidden": item.child_id in hidden,
                "rule_name": rule_name(item.rule),
                "source": RULES_BY_CODE[item.rule].source if item.rule in RULES_BY_CODE else "",
                "reassignable": item.pk in reassignable,
                "completion": completions.get(item.pk),
                "more": getattr(item, "more", 0),
                "first_of_child": item.child_id != previous_child,
            }
        )
        previous_child = item.child_id
    return rows


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


def _sort_links(request: HttpRequest, current: str) -> list[dict[str, str]]:
    """The sortable columns' links and aria-sort: a column sorted ascending links to its
    descending sort, and any other to its ascending one; paging starts again."""
    links = []
    for key, (label, _) in filters.SORTS.items():
        query = request.GET.copy()
        query.pop("page", None)
        if current == key:
            aria, query["sort"] = "ascending", f"-{key}"
        elif current == f"-{key}":
            aria, query["sort"] = "descending", key
        else:
            aria, query["sort"] = "none", key
        links.append({"key": key, "label": label, "aria": aria, "url": f"?{query.urlencode()}"})
    return links


def _worklist(
    request: HttpRequest, actor: User, items: QuerySet[DueItem], tab: str, heading: str
) -> HttpResponse:
    """A worklist with its filters, sorts, paging, grouping by child and counts (issue 19)."""
    found = filters.WorklistFilter(request.GET, queryset=items, actor=actor)
    chosen = found.qs
    for name in found.form.errors:
        widget = found.form.fields[name].widget
        widget.attrs["aria-describedby"] = f"{found.form[name].auto_id}-error"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-select--error".strip()
    sort = filters.sort_key(request.GET.get("sort"))
    group = request.GET.get("group") == "child"
    ordered = filters.sorted_items(chosen, "child" if group else sort)
    page = _page(request, ordered.only(*selectors.DUE_ROW_FIELDS, "key"), "page", heading)
    now = timezone.now()
    clear = request.GET.copy()
    for name in found.form.fields:
        clear.pop(name, None)
    clear.pop("page", None)
    context = {
        "filter": found,
        "rows": _rows(page["page"].object_list, actor),
        "list": page,
        "counts": filters.counts(chosen, now),
        "chosen": found.chosen(),
        "sorts": _sort_links(request, "child" if group else sort),
        "sort": sort,
        "group": group,
        "clear_url": f"?{clear.urlencode()}",
        "tabs": _tabs(actor, tab),
        "heading": heading,
        "here": request.get_full_path(),
    }
    return render(request, "worklist/items.html", context)


def mine(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    items = selectors.my_work(actor=actor, include_done=True)
    return _worklist(request, actor, items, "mine", "My work")


def team(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    items = selectors.team_work(actor=actor, include_done=True)
    return _worklist(request, actor, items, "team", "My team's work")


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, public_id: str) -> HttpResponse:
    """Give a due item to someone else (issue 19), then go back to the list it came from."""
    actor = acting_user(request)
    item = get_object_or_404(
        DueItem.objects.select_related("child", "assignee", "team", "reassigned_to", "meeting"),
        public_id=public_id,
    )
    policy.require(policy.can_reassign_item(actor, item))
    candidates = list(policy.reassign_candidates(actor, item))
    back = _safe_next(request, "/worklist/")
    error = ""
    if request.method == "POST":
        chosen = next(
            (p for p in candidates if str(p.public_id) == request.POST.get("to", "")), None
        )
        if chosen is None:
            error = "Select who should do this"
        else:
            try:
                services.item_reassign(actor=actor, item=item, to=chosen)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, f"Given to {chosen.display_name}")
                return redirect(back)
    hidden = policy.children_not_shown_in_full(actor, [item.child] if item.child else [])
    context = {
        "item": item,
        "rule_name": rule_name(item.rule),
        "candidates": candidates,
        "error": error,
        "back": back,
        "hidden": item.child_id in hidden,
    }
    return render(request, "worklist/reassign.html", context, status=400 if error else 200)


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
    # Each child once, not once per past episode (issue 19).
    overdue = _page(
        request,
        selectors.children_of(view.interviews_overdue),
        "overdue",
        "Return interviews overdue",
    )
    due = _page(request, selectors.children_of(view.interviews_due), "due", "Return interviews due")
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
        "here": request.get_full_path(),
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
