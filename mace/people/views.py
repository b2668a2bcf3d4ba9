"""Pages of the people register. Thin: forms validate input, services and selectors do the rest.

"Find a child" is a GET search (issue 19 point 4): what the user typed is in the URL, their
own query; it is shown back on the page and never logged. Other identifying data never
reaches a URL (opaque public ids only).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mace.access import policy
from mace.disruption.selectors import open_actions_count
from mace.education.selectors import for_child as education_for_child
from mace.episodes.models import Episode
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.intelligence.selectors import restriction_for_child
from mace.interviews import charts as interview_charts
from mace.interviews.models import ReturnInterview
from mace.lib.concurrency import EditConflict
from mace.people import forms, selectors, services
from mace.people.duplicates import find_possible_duplicates
from mace.people.models import Child, ChildPhotograph, DuplicateReview
from mace.people.services import restricted_access_grant
from mace.people.shortcuts import with_child
from mace.worklist.filters import due_in_words
from mace.worklist.labels import rule_name
from mace.worklist.models import DueItem
from mace.worklist.selectors import due_state

RESULTS_A_PAGE = 25


def search(request: HttpRequest) -> HttpResponse:
    """Find a child (issue 19 point 4). A GET form: the query is in the URL as `q`, so the
    results survive Back and can be bookmarked. It is never logged (MACE logs no request
    lines; see docs/architecture.md). A POST of `query`, as the page sent before, is read
    the same way. With no query the page lists the user's children and those they opened
    lately."""
    actor = acting_user(request)
    policy.require(policy.can_search_children(actor))
    data: dict[str, str] | None
    if request.method == "POST":
        data = {"q": request.POST.get("query", request.POST.get("q", ""))}
    else:
        data = {"q": request.GET["q"]} if "q" in request.GET else None
    form = forms.ChildSearchForm(data)
    context: dict[str, Any] = {"form": form, "can_create": policy.can_create_child(actor)}
    if data is not None and form.is_valid():
        query = form.cleaned_data["q"]
        ranked = selectors.child_search_ranked(actor=actor, query=query)
        page = Paginator(ranked, RESULTS_A_PAGE).get_page(request.GET.get("page"))
        results = selectors.children_in_order(list(page.object_list))
        context.update(query=query, page=page, results=results, found=len(ranked))
        context["pages"] = _page_links(query, page)
        _with_shown(context, actor, results)
    elif data is None:
        mine, mine_total = selectors.my_children(actor=actor)
        recent = selectors.recently_viewed(actor=actor)
        context.update(mine=mine, mine_total=mine_total, recent=recent)
        _with_shown(context, actor, [*mine, *recent])
    context["today"] = timezone.localdate()
    return render(request, "people/search.html", context)


def _with_shown(context: dict[str, Any], actor: Any, children: list[Child]) -> None:
    shown = policy.children_shown_in_full(actor, children)
    context["shown"] = shown
    context["withheld"] = any(child.pk not in shown for child in children)


def _page_links(text: str, page: Any) -> dict[str, Any]:
    """GOV.UK pagination: numbered links to the first and last pages and those either side of
    this one (None where pages are left out), and the previous and next pages'."""

    def url(number: int) -> str:
        return "?" + urlencode({"q": text, "page": number})

    numbers: list[dict[str, Any] | None] = []
    last = page.paginator.num_pages
    for number in range(1, last + 1):
        if number in (1, last) or abs(number - page.number) <= 1:
            numbers.append({"number": number, "url": url(number)})
        elif numbers and numbers[-1] is not None:
            numbers.append(None)
    return {
        "numbers": numbers if last > 1 else [],
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


def create(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_create_child(actor))
    form = forms.ChildCreateForm(posted(request))
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        duplicates = find_possible_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            aliases=form.alias_list(),
        )
        if duplicates and not data["not_a_duplicate"]:
            form.add_error(
                "not_a_duplicate",
                "This child may already have a record. Check the possible matches, then confirm "
                "none of them is the same child, or open the existing record instead",
            )
        else:
            legal_status = data.pop("legal_status")
            data.pop("aliases")
            data.pop("not_a_duplicate")
            child = services.child_create(
                actor=actor, legal_status=legal_status, aliases=form.alias_list(), **data
            )
            messages.success(request, f"Record {child.reference} created")
            return redirect("people:detail", public_id=child.public_id)
    shown = policy.children_shown_in_full(actor, [match.child for match in duplicates])
    context = {
        "form": form,
        "duplicates": duplicates,
        "shown": shown,
        "withheld": any(match.child.pk not in shown for match in duplicates),
    }
    return render(request, "people/create.html", context)


def _episodes_with_interviews(child: Child) -> list[Episode]:
    """The child's episodes, newest first, each with its gradings and its return interview
    (`interview`, or None) for the table's grade and interview status, in three queries."""
    episodes = list(
        Episode.objects.filter(child=child)
        .prefetch_related("risk_gradings")
        .order_by("-last_seen_at")
    )
    interviews = {
        row.episode_id: row
        for row in ReturnInterview.objects.filter(episode__in=[e.pk for e in episodes])
    }
    for episode in episodes:
        episode.interview = interviews.get(episode.pk)  # type: ignore[attr-defined]
    return episodes


def _scales(actor: Any, child: Child) -> dict[str, Any]:
    """The six scales of the child's return interviews over time (003 A4), as a chart and a
    table of the same figures, for those who may see what the child said; else nothing."""
    if not policy.can_see_return_interview(actor, child):
        return {"scale_rows": [], "scales_chart": ""}
    held = interview_charts.interviews_with_scales(child.pk)
    if not held:
        return {"scale_rows": [], "scales_chart": ""}
    first, last = held[0].completed_at, held[-1].completed_at
    assert first is not None
    assert last is not None
    label = (
        f"How safe and how happy {child.reference} felt before going missing, while missing "
        f"and since returning, 0 to 10, at {len(held)} return interview"
        f"{'' if len(held) == 1 else 's'} from {timezone.localtime(first):%-d %B %Y} to "
        f"{timezone.localtime(last):%-d %B %Y}. The table below gives each figure."
    )
    return {
        "scale_rows": interview_charts.scale_rows(held),
        "scales_chart": interview_charts.scales_chart_svg(held, label=label),
    }


@with_child
def detail(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    context = {
        **_scales(actor, child),
        "child": child,
        "aliases": child.aliases.all(),
        "identifiers": child.identifiers.all(),
        "legal_statuses": child.legal_statuses.all(),
        "placements": child.placements.select_related("placing_authority", "host_authority"),
        "related_people": child.related_people.all(),
        "involvements": child.involvements.select_related("agency", "user"),
        "addresses": child.addresses.all(),
        "merged_records": child.merged_records.all(),
        "description": selectors.description_of(child),
        "photograph_count": child.photographs.count(),
        "can_add_photograph": policy.can_add_photograph(actor, child) and not child.is_merged,
        "can_change_description": policy.can_change_description(actor, child)
        and not child.is_merged,
        "can_edit": policy.can_edit_child(actor, child) and not child.is_merged,
        "can_merge": policy.can_merge_children(actor) and not child.is_merged,
        "can_allocate": policy.can_allocate_child(actor, child) and not child.is_merged,
        "can_restrict": policy.can_restrict_child(actor, child) and not child.is_merged,
        "can_report_missing": policy.can_record_episode(actor, child) and not child.is_merged,
        "can_supervise": policy.can_record_supervision(actor, child),
        "can_export_subject_access": policy.can_export_subject_access(actor, child),
        "can_assess": policy.can_record_assessment(actor, child) and not child.is_merged,
        "can_record_meeting": policy.can_edit_child(actor, child) and not child.is_merged,
        "intelligence_cleared": policy.can_see_intelligence(actor),
        "intelligence_restriction": restriction_for_child(actor, child),
        "open_disruption_actions": open_actions_count(child),
        "open_meeting_actions": DueItem.objects.filter(
            child=child, rule="ACT", status=DueItem.Status.OPEN
        ).count(),
        "episodes": _episodes_with_interviews(child),
        "education": education_for_child(actor=actor, child=child),
        "can_notify_education": policy.can_use_education(actor) and not child.is_merged,
        "open_items": _due_now(child),
    }
    return render(request, "people/detail.html", context)


def _due_now(child: Child) -> list[dict[str, Any]]:
    """The child's open items, soonest first, each with its time in words ("Overdue by 4
    years, 6 months"), whether it is overdue, and its rule in words."""
    now = timezone.now()
    return [
        {
            "item": item,
            "state": due_state(item, now),
            "in_words": due_in_words(item, now),
            "rule_name": rule_name(item.rule),
        }
        for item in DueItem.objects.filter(child=child, status=DueItem.Status.OPEN).order_by(
            "due_at", "id"
        )
    ]


def reason(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    child = selectors.child_for_reason(actor=actor, public_id=public_id)
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            restricted_access_grant(actor=actor, child=child, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("people:detail", public_id=child.public_id)
    return render(request, "people/reason.html", {"form": form, "child": child})


@with_child
def edit(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_edit_child(actor, child) and not child.is_merged)
    form = forms.ChildEditForm(
        posted(request), instance=Child.objects.get(pk=child.pk), initial={"version": child.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.child_update(actor=actor, child=child, expected_version=version, **data)
        except EditConflict as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Details saved")
            return redirect("people:detail", public_id=child.public_id)
    return render(request, "people/edit.html", {"form": form, "child": child, "conflict": conflict})


@with_child
def allocation(request: HttpRequest, child: Child) -> HttpResponse:
    """The child's team and allocated worker, for those who may allocate (issue 16)."""
    actor = acting_user(request)
    policy.require(policy.can_allocate_child(actor, child) and not child.is_merged)
    form = forms.AllocationForm(
        posted(request),
        initial={"team": child.team_id, "allocated_worker": child.allocated_worker_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_allocate(
                actor=actor,
                child=child,
                team=form.cleaned_data["team"],
                worker=form.cleaned_data["allocated_worker"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Allocation saved")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": "Change allocation"}
    return render(request, "people/add.html", context)


@with_child
def restriction(request: HttpRequest, child: Child) -> HttpResponse:
    """Restrict the record, or lift the restriction, with a reason (issue 16, C11)."""
    actor = acting_user(request)
    policy.require(policy.can_restrict_child(actor, child) and not child.is_merged)
    form = forms.RestrictionForm(
        posted(request), initial={"restricted": "yes" if child.is_restricted else "no"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_set_restriction(
                actor=actor,
                child=child,
                restricted=form.cleaned_data["restricted"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Restriction saved")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": "Restrict the record"}
    return render(request, "people/add.html", context)


@dataclass(frozen=True)
class AddPage:
    """One 'add something to the child's record' page: its form, service and words."""

    form: type[BaseForm]
    service: Callable[..., Any]
    title: str
    done: str


ADD_PAGES: dict[str, AddPage] = {
    "legal-status": AddPage(
        forms.LegalStatusForm,
        services.legal_status_change,
        "Change legal status",
        "Legal status changed",
    ),
    "placement": AddPage(
        forms.PlacementForm, services.placement_add, "Add a placement", "Placement added"
    ),
    "address": AddPage(forms.AddressForm, services.address_add, "Add an address", "Address added"),
    "alias": AddPage(forms.AliasForm, services.alias_add, "Add another name", "Name added"),
    "identifier": AddPage(
        forms.IdentifierForm, services.identifier_add, "Add an identifier", "Identifier added"
    ),
    "parent-or-carer": AddPage(
        forms.RelatedPersonForm,
        services.related_person_add,
        "Add a parent, carer or significant person",
        "Person added",
    ),
    "professional": AddPage(
        forms.InvolvementForm,
        services.involvement_add,
        "Add a professional or agency",
        "Professional added",
    ),
}


@with_child
def add(request: HttpRequest, child: Child, what: str) -> HttpResponse:
    page = ADD_PAGES.get(what)
    if page is None:
        from django.http import Http404

        raise Http404
    actor = acting_user(request)
    policy.require(policy.can_edit_child(actor, child) and not child.is_merged)
    form = page.form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            page.service(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, page.done)
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": page.title}
    return render(request, "people/add.html", context)


@with_child
def merge(request: HttpRequest, child: Child) -> HttpResponse:
    """Choose the duplicate by reference, see both side by side, then confirm the merge."""
    actor = acting_user(request)
    policy.require(policy.can_merge_children(actor) and not child.is_merged)
    form = forms.MergeChooseForm(posted(request))
    duplicate = None
    restricted = None
    if request.method == "POST" and form.is_valid():
        duplicate = selectors.child_lookup_by_reference(
            actor=actor, reference=form.cleaned_data["reference"]
        )
        if duplicate is None:
            form.add_error("reference", "There is no record with that reference that you can see")
        elif not policy.may_see_child_details(actor, duplicate):
            # Comparing would show a restricted child's name and date of birth (issue 16).
            form.add_error(
                "reference",
                f"{duplicate.reference} is restricted: open it and give your reason first, "
                "then compare the records",
            )
            restricted, duplicate = duplicate, None
        elif duplicate.pk == child.pk:
            form.add_error("reference", "Enter the reference of a different record")
            duplicate = None
        elif request.POST.get("confirm") == "yes":
            try:
                services.child_merge(actor=actor, keep=child, duplicate=duplicate)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "message", "These records cannot be merged"))
            else:
                messages.success(request, f"{duplicate.reference} merged into {child.reference}")
                return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "duplicate": duplicate, "restricted": restricted}
    return render(request, "people/merge.html", context)


DUPLICATES_A_PAGE = 20


def duplicates(request: HttpRequest) -> HttpResponse:
    """The review list (issue 18): each child an import or education notification created who
    may be one already held, side by side with that child, to merge or confirm as different.
    A child the user may not see now shows by reference and "Restricted" only."""
    actor = acting_user(request)
    reviews = selectors.duplicate_reviews(actor=actor).prefetch_related(
        "new_child__aliases", "matched_child__aliases"
    )
    page = Paginator(reviews, DUPLICATES_A_PAGE).get_page(request.GET.get("page"))
    pairs = [(review.new_child, review.matched_child) for review in page.object_list]
    shown = policy.children_shown_in_full(actor, [child for pair in pairs for child in pair])
    decidable = policy.duplicate_pairs_decidable(actor, pairs)
    decided = selectors.duplicate_reviews(actor=actor, status=DuplicateReview.Status.MERGED)
    confirmed = selectors.duplicate_reviews(
        actor=actor, status=DuplicateReview.Status.CONFIRMED_NEW
    )
    context = {
        "page": page,
        "rows": [
            {
                "review": review,
                "children": [review.new_child, review.matched_child],
                "decidable": (review.new_child.pk, review.matched_child.pk) in decidable,
                "withheld": not {review.new_child.pk, review.matched_child.pk} <= shown,
            }
            for review in page.object_list
        ],
        "shown": shown,
        "may_merge": policy.can_merge_children(actor),
        "merged_count": decided.count(),
        "confirmed_count": confirmed.count(),
    }
    return render(request, "people/duplicates.html", context)


@require_POST
def duplicate_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge the pair (the new record into the one held) or confirm they are different."""
    actor = acting_user(request)
    review = selectors.duplicate_review_get(actor=actor, public_id=public_id)
    decision = request.POST.get("decision")
    try:
        if decision == "merge":
            kept = services.duplicate_review_merge(actor=actor, review=review)
            messages.success(request, f"{review.new_child.reference} merged into {kept.reference}")
        elif decision == "different":
            services.duplicate_review_confirm_new(actor=actor, review=review)
            messages.success(
                request,
                f"{review.new_child.reference} and {review.matched_child.reference} recorded "
                "as different children: they will not be asked about again",
            )
        else:
            messages.error(request, "Choose to merge the records or to keep both")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("people:duplicates")


# The photograph and the physical description (issue 20 point 3)


@with_child
def photographs(request: HttpRequest, child: Child) -> HttpResponse:
    """The child's photographs, current first, and (for those who may add one) the upload
    form. A refused file is said why; the date and who took it stay as typed."""
    actor = acting_user(request)
    policy.require(policy.can_see_photograph(actor, child))
    may_add = policy.can_add_photograph(actor, child) and not child.is_merged
    if request.method == "POST":
        policy.require(may_add)
    form = forms.PhotographForm(
        posted(request), request.FILES or None, max_mb=settings.PHOTOGRAPH_MAX_UPLOAD_MB
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            services.photograph_add(
                actor=actor,
                child=child,
                image=upload,
                size=upload.size,
                taken_on=form.cleaned_data["taken_on"],
                taken_by=form.cleaned_data["taken_by"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Photograph added")
            return redirect("people:detail", public_id=child.public_id)
    context = {
        "child": child,
        "form": form if may_add else None,
        "may_remove": policy.can_remove_photograph(actor, child) and not child.is_merged,
        "photographs": selectors.photographs_of(child),
    }
    return render(request, "people/photographs.html", context)


@with_child
def photograph_remove(request: HttpRequest, child: Child, photograph_id: str) -> HttpResponse:
    """Remove one of the child's photographs, with the reason, after a page that shows it and
    says what removing it does."""
    actor = acting_user(request)
    policy.require(policy.can_remove_photograph(actor, child) and not child.is_merged)
    photograph = get_object_or_404(ChildPhotograph, public_id=photograph_id, child=child)
    form = forms.PhotographRemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.photograph_remove(
                actor=actor, photograph=photograph, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Photograph removed")
            return redirect("people:photographs", public_id=child.public_id)
    current = selectors.photographs_of(child)[:1]
    context = {
        "child": child,
        "form": form,
        "photograph": photograph,
        "is_current": bool(current) and current[0].pk == photograph.pk,
    }
    return render(request, "people/photograph_remove.html", context)


@require_GET
def photograph(request: HttpRequest, public_id: str) -> HttpResponse:
    """The image itself, only through the access check (`selectors.photograph_get`, logged):
    never cached, never sniffed as anything but a JPEG."""
    found = selectors.photograph_get(actor=acting_user(request), public_id=public_id)
    with found.image.open("rb") as image:
        content = image.read()
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{found.public_id}.jpg"'
    return response


@with_child
def description(request: HttpRequest, child: Child) -> HttpResponse:
    """Record or change the child's physical description and clothing when last seen."""
    actor = acting_user(request)
    policy.require(policy.can_change_description(actor, child) and not child.is_merged)
    held = selectors.description_of(child)
    form = forms.DescriptionForm(
        posted(request), instance=held, initial={"version": held.version if held else 0}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.description_update(actor=actor, child=child, expected_version=version, **data)
        except EditConflict as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Description saved")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "conflict": conflict}
    return render(request, "people/description.html", context)
