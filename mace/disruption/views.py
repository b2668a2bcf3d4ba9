"""Pages of disruption (003 A3, A7): a child's disruption plan, its actions and their
outcomes, the disruption outcomes the dataset counts, and the A3 library. Thin: selectors
decide what the user may see, services record."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mace.access import policy
from mace.disruption import forms, selectors, services
from mace.disruption.models import DisruptionAction, InterventionOption, StrategicAim
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.intelligence import selectors as intelligence_selectors
from mace.intelligence.models import Link, Location, PersonOfConcern
from mace.lib.quarters import Quarter
from mace.people import selectors as people_selectors
from mace.people.models import Child
from mace.people.shortcuts import with_child


@require_GET
@with_child
def plan(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    outcomes = selectors.outcomes_for_child(actor=actor, child=child)
    sections = selectors.plan_for_child(actor=actor, child=child)
    context = {
        "child": child,
        "sections": sections,
        "outcomes": outcomes.outcomes,
        "outcomes_withheld": outcomes.withheld,
        "restricted_marker": intelligence_selectors.RESTRICTED_MARKER,
        "today": timezone.localdate(),
        "can_plan": policy.can_plan_disruption(actor, child) and not child.is_merged,
        "can_record_outcome": policy.can_record_disruption_outcome(actor, child),
        "may_record": {
            action.pk
            for section in sections
            for action in section.actions
            if not action.is_done and policy.can_record_action_outcome(actor, action)
        },
    }
    return render(request, "disruption/plan.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def action_create(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_plan_disruption(actor, child) and not child.is_merged)
    form = forms.ActionForm(posted(request), initial={"monitor": actor})
    if request.method == "POST" and form.is_valid():
        try:
            services.disruption_action_create(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Action added to the disruption plan")
            return redirect("disruption:plan", public_id=child.public_id)
    context = {
        "form": form,
        "child": child,
        "title": "Add an action to the disruption plan",
        "back": reverse("disruption:plan", kwargs={"public_id": child.public_id}),
    }
    return render(request, "disruption/form.html", context)


@require_http_methods(["GET", "POST"])
def action_outcome(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    action = get_object_or_404(
        DisruptionAction.objects.select_related("child", "aim", "option", "owner", "monitor"),
        public_id=public_id,
    )
    try:
        child = people_selectors.child_get(actor=actor, public_id=action.child.public_id)
    except people_selectors.ReasonRequired:
        return redirect("people:reason", public_id=action.child.public_id)
    policy.require(policy.can_record_action_outcome(actor, action))
    form = forms.ActionOutcomeForm(posted(request), initial={"outcome": action.outcome})
    if request.method == "POST" and form.is_valid():
        try:
            services.disruption_action_outcome_record(
                actor=actor, action=action, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Outcome recorded")
            return redirect("disruption:plan", public_id=child.public_id)
    context = {
        "form": form,
        "child": child,
        "action": action,
        "title": "Record the outcome of an action",
        "back": reverse("disruption:plan", kwargs={"public_id": child.public_id}),
    }
    return render(request, "disruption/form.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def outcome_for_child(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_disruption_outcome(actor, child) and not child.is_merged)
    back = reverse("disruption:plan", kwargs={"public_id": child.public_id})
    return _outcome_page(request, back=back, child=child)


@require_http_methods(["GET", "POST"])
def outcome_for_person(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_disruption_outcome(actor, intelligence=True))
    try:
        person = intelligence_selectors.person_get(actor, public_id)
    except PersonOfConcern.DoesNotExist:
        raise Http404 from None
    back = reverse("intelligence:person", kwargs={"public_id": person.public_id})
    linked = Link.objects.filter(person=person, child__isnull=False).values("child")
    return _outcome_page(request, back=back, linked=linked, person=person)


@require_http_methods(["GET", "POST"])
def outcome_for_location(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_disruption_outcome(actor, intelligence=True))
    try:
        location = intelligence_selectors.location_get(actor, public_id)
    except Location.DoesNotExist:
        raise Http404 from None
    back = reverse("intelligence:location", kwargs={"public_id": location.public_id})
    linked = Link.objects.filter(location=location, child__isnull=False).values("child")
    return _outcome_page(request, back=back, linked=linked, location=location)


def _outcome_page(
    request: HttpRequest, *, back: str, linked: Any = None, **about: Any
) -> HttpResponse:
    children = None
    if linked is not None:
        # Only children whose records open without a reason: a restricted record's name is
        # not offered in a list.
        children = policy.openable_children(acting_user(request)).filter(pk__in=linked)
    form = forms.OutcomeForm(posted(request), children=children)
    if request.method == "POST" and form.is_valid():
        try:
            services.disruption_outcome_record(
                actor=acting_user(request), **about, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Disruption outcome recorded")
            return redirect(back)
    intelligence = about.get("person") or about.get("location")
    context = {
        "form": form,
        "child": about.get("child"),
        "about": intelligence,
        "title": "Record a disruption outcome",
        "back": back,
        "intelligence": intelligence is not None,
    }
    return render(request, "disruption/form.html", context)


@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    """The disruption outcomes of a quarter: the 003 A7 counts, and the outcomes behind
    them that the user may see one by one."""
    actor = acting_user(request)
    policy.require(policy.can_see_disruption_counts(actor))
    current = Quarter.containing(timezone.localdate())
    error = ""
    try:
        quarter = Quarter.parse(request.GET["quarter"]) if "quarter" in request.GET else current
    except ValueError as problem:
        error, quarter = str(problem), current
    counts = selectors.outcome_counts(actor=actor, start=quarter.start, end=quarter.end)
    outcomes = list(selectors.outcomes_list(actor=actor, start=quarter.start, end=quarter.end))
    context = {
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next() if quarter < current else None,
        "counts": counts,
        "outcomes": outcomes,
        "hidden": policy.children_not_shown_in_full(actor, [o.child for o in outcomes if o.child]),
        "error": error,
        "restricted_marker": intelligence_selectors.RESTRICTED_MARKER,
        "cleared": policy.can_see_intelligence(actor),
    }
    return render(request, "disruption/outcomes.html", context)


@require_http_methods(["GET", "POST"])
def library(request: HttpRequest) -> HttpResponse:
    """The A3 library of strategic aims and intervention options. Everyone who works with
    children reads it; administrators and managers add to it and retire entries."""
    actor = acting_user(request)
    policy.require(
        policy.sees_identifiable_data(actor) or policy.can_keep_disruption_library(actor)
    )
    keeper = policy.can_keep_disruption_library(actor)
    form = forms.LibraryEntryForm(posted(request))
    if request.method == "POST":
        policy.require(keeper)
        aim_id = request.POST.get("aim", "")
        if form.is_valid():
            try:
                if aim_id:
                    aim = get_object_or_404(StrategicAim, public_id=aim_id)
                    services.intervention_option_create(
                        actor=actor, aim=aim, text=form.cleaned_data["text"]
                    )
                    messages.success(request, "Option added")
                else:
                    services.strategic_aim_create(actor=actor, text=form.cleaned_data["text"])
                    messages.success(request, "Strategic aim added")
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("disruption:library")
    context = {
        "aims": selectors.library(include_retired=keeper),
        "keeper": keeper,
        "form": form,
    }
    return render(request, "disruption/library.html", context)


@require_POST
def library_retire(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_keep_disruption_library(actor))
    entry: StrategicAim | InterventionOption
    if kind == "aim":
        entry = get_object_or_404(StrategicAim, public_id=public_id)
    elif kind == "option":
        entry = get_object_or_404(InterventionOption, public_id=public_id)
    else:
        raise Http404
    retire = request.POST.get("retire") == "yes"
    services.library_entry_retire(actor=actor, entry=entry, retire=retire)
    messages.success(request, "Retired" if retire else "Restored")
    return redirect("disruption:library")
