"""Pages of intelligence (SPEC C5): persons of concern, locations and hotspots, links, notes
and the network view. Thin: selectors decide what the user may see, services record.

Pages about persons and places are for cleared users only (a 403 for anyone else). The
network page of a child is for anyone who may open the child; those not cleared see the
links between children and, where intelligence is held, only that a restriction exists.
Searches are POSTed so that names, phone numbers and registrations never reach URLs.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.intelligence import forms, selectors, services
from mace.intelligence.models import Link, Location, PersonOfConcern
from mace.intelligence.network import link_ends, network_svg
from mace.people import selectors as people_selectors
from mace.people.models import Child
from mace.people.shortcuts import with_child

SEARCH_LIMIT = 50


def _person(request: HttpRequest, public_id: str) -> PersonOfConcern:
    try:
        return selectors.person_get(acting_user(request), public_id)
    except PersonOfConcern.DoesNotExist:
        raise Http404 from None


def _location(request: HttpRequest, public_id: str) -> Location:
    try:
        return selectors.location_get(acting_user(request), public_id)
    except Location.DoesNotExist:
        raise Http404 from None


def _logged_view(request: HttpRequest, obj: PersonOfConcern | Location, what: str) -> None:
    """Opening intelligence is logged like opening a child's record."""
    audit_record(actor=acting_user(request), action=AuditEvent.Action.VIEW, obj=obj, summary=what)


def _rows(centre: object, links: list[Link]) -> list[dict[str, Any]]:
    """The table beside the drawing: for each link, its two ends as page links."""
    rows = []
    for link in links:
        ends = [_describe(end) for end in link_ends(link)]
        if ends[1]["obj"] == centre:
            ends.reverse()
        rows.append({"link": link, "from": ends[0], "to": ends[1]})
    return rows


def _describe(obj: Child | PersonOfConcern | Location) -> dict[str, Any]:
    if isinstance(obj, Child):
        url = reverse("intelligence:child", kwargs={"public_id": obj.public_id})
        return {
            "obj": obj,
            "label": f"{obj.full_name} ({obj.reference})",
            "url": url,
            "kind": "Child",
        }
    if isinstance(obj, PersonOfConcern):
        url = reverse("intelligence:person", kwargs={"public_id": obj.public_id})
        return {"obj": obj, "label": obj.display_name, "url": url, "kind": "Person of concern"}
    url = reverse("intelligence:location", kwargs={"public_id": obj.public_id})
    kind = "Hotspot" if obj.is_hotspot else obj.get_kind_display()
    return {"obj": obj, "label": obj.name, "url": url, "kind": kind}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Find a person of concern or a place, and the hotspots at a glance. Cleared only."""
    actor = acting_user(request)
    policy.require(policy.can_see_intelligence(actor))
    form = forms.SearchForm(posted(request))
    persons: list[PersonOfConcern] | None = None
    locations: list[Location] | None = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["query"]
        persons = list(selectors.search_persons(actor, query)[:SEARCH_LIMIT])
        locations = list(selectors.search_locations(actor, query)[:SEARCH_LIMIT])
    context = {
        "form": form,
        "persons": persons,
        "locations": locations,
        "hotspots": selectors.hotspots(actor),
        "recent": PersonOfConcern.objects.order_by("-updated_at")[:10],
    }
    return render(request, "intelligence/index.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_see_intelligence(actor))
    form = forms.PersonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=actor, **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Person of concern recorded")
            return redirect("intelligence:person", public_id=person.public_id)
    return render(
        request,
        "intelligence/form.html",
        {
            "form": form,
            "title": "Record a person of concern",
            "back": reverse("intelligence:index"),
        },
    )


@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_see_intelligence(actor))
    form = forms.LocationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Location recorded")
            return redirect("intelligence:location", public_id=location.public_id)
    return render(
        request,
        "intelligence/form.html",
        {"form": form, "title": "Record a location", "back": reverse("intelligence:index")},
    )


@require_GET
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _person(request, public_id)
    network = selectors.network_for_person(acting_user(request), found)
    _logged_view(request, found, "Viewed a person of concern")
    title = (
        f"Network around {found.display_name}: {len(network.children)} children, "
        f"{len(network.locations)} places and {len(network.persons) - 1} other persons. "
        "The table below lists every link."
    )
    context = {
        "person": found,
        "network": network,
        "rows": _rows(found, network.links),
        "svg": network_svg(found, network.links, title=title) if network.links else "",
    }
    return render(request, "intelligence/person.html", context)


@require_GET
def location(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _location(request, public_id)
    network = selectors.network_for_location(acting_user(request), found)
    _logged_view(request, found, "Viewed a location")
    title = (
        f"Network around {found.name}: {len(network.children)} children and "
        f"{len(network.persons)} persons of concern. The table below lists every link."
    )
    context = {
        "location": found,
        "network": network,
        "rows": _rows(found, network.links),
        "svg": network_svg(found, network.links, title=title) if network.links else "",
    }
    return render(request, "intelligence/location.html", context)


@require_GET
@with_child
def child(request: HttpRequest, child: Child) -> HttpResponse:
    """The network around a child, as far as the user may see it."""
    actor = acting_user(request)
    network = selectors.network_for_child(actor, child)
    title = (
        f"Network around {child.full_name}: {len(network.children)} other children"
        + (
            f", {len(network.persons)} persons of concern and {len(network.locations)} places"
            if policy.can_see_intelligence(actor)
            else ""
        )
        + ". The table below lists every link."
    )
    context = {
        "child": child,
        "network": network,
        "rows": _rows(child, network.links),
        "svg": network_svg(child, network.links, title=title) if network.links else "",
        "cleared": policy.can_see_intelligence(actor),
        "can_link": policy.can_record_link(actor, child) and not child.is_merged,
    }
    return render(request, "intelligence/child.html", context)


# Making a link: step one finds the other end, step two records the link.


def _child_matches(actor: User, query: str, exclude: Child | None) -> list[tuple[str, str]]:
    found = people_selectors.child_search(actor=actor, query=query)
    return [
        (str(c.public_id), f"{c.full_name} ({c.reference}), born {c.date_of_birth:%-d %B %Y}")
        for c in found
        if (exclude is None or c.pk != exclude.pk) and policy.can_view_child(actor, c)
    ]


def _person_matches(actor: User, query: str) -> list[tuple[str, str]]:
    return [
        (
            str(p.public_id),
            p.display_name + (f", {p.get_age_group_display()}" if p.age_group else ""),
        )
        for p in selectors.search_persons(actor, query)[:SEARCH_LIMIT]
    ]


def _location_matches(actor: User, query: str) -> list[tuple[str, str]]:
    return [
        (
            str(place.public_id),
            place.name
            + (f", {place.postcode}" if place.postcode else "")
            + (" (hotspot)" if place.is_hotspot else ""),
        )
        for place in selectors.search_locations(actor, query)[:SEARCH_LIMIT]
    ]


def _matches(
    actor: User, target: str, query: str, centre: Child | PersonOfConcern | Location
) -> list[tuple[str, str]]:
    if target == "child":
        return _child_matches(actor, query, centre if isinstance(centre, Child) else None)
    if target == "person":
        return _person_matches(actor, query)
    return _location_matches(actor, query)


def _target(actor: User, target: str, public_id: str) -> Child | PersonOfConcern | Location:
    if target == "child":
        return people_selectors.child_get(actor=actor, public_id=public_id)
    if target == "person":
        return selectors.person_get(actor, public_id)
    return selectors.location_get(actor, public_id)


def _ends(centre: object, other: object) -> dict[str, Any]:
    """The link_create arguments for a link between the centre and the chosen other end."""
    ends: dict[str, Any] = {}
    for obj in (centre, other):
        if isinstance(obj, Child):
            ends["other_child" if "child" in ends else "child"] = obj
        elif isinstance(obj, PersonOfConcern):
            ends["person"] = obj
        else:
            ends["location"] = obj
    return ends


def _link_page(
    request: HttpRequest,
    centre: Child | PersonOfConcern | Location,
    targets: list[str],
    done_url: str,
) -> HttpResponse:
    actor = acting_user(request)
    data = posted(request)
    step = request.POST.get("step", "find")
    find = forms.LinkFindForm(data, targets=targets)
    details: forms.LinkDetailsForm | None = None
    if request.method == "POST" and find.is_valid():
        target, query = find.cleaned_data["target"], find.cleaned_data["query"]
        matches = _matches(actor, target, query, centre)
        if not matches:
            find.add_error(
                "query",
                f"Nothing matches “{query}”. Check the spelling, try a nickname, phone "
                "number or postcode, or record it first",
            )
        else:
            details = forms.LinkDetailsForm(
                data if step == "save" else None, target=target, matches=matches
            )
            if step == "save" and details.is_valid():
                other = _target(actor, target, details.cleaned_data["match"])
                try:
                    services.link_create(
                        actor=actor,
                        kind=details.cleaned_data["kind"],
                        source=details.cleaned_data["source"],
                        observed_on=details.cleaned_data["observed_on"],
                        confidence=details.cleaned_data["confidence"],
                        **_ends(centre, other),
                    )
                except ValidationError as error:
                    apply_errors(details, error)
                else:
                    messages.success(request, "Link recorded")
                    return redirect(done_url)
    context = {
        "centre": _describe(centre),
        "find": find,
        "details": details,
        "back": done_url,
        "create_person": "person" in targets,
        "create_location": "location" in targets,
    }
    return render(request, "intelligence/link.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def child_link(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_link(actor, child) and not child.is_merged)
    targets = ["child"]
    if policy.can_see_intelligence(actor):
        targets += ["person", "location"]
    done = reverse("intelligence:child", kwargs={"public_id": child.public_id})
    return _link_page(request, child, targets, done)


@require_http_methods(["GET", "POST"])
def person_link(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _person(request, public_id)
    done = reverse("intelligence:person", kwargs={"public_id": found.public_id})
    return _link_page(request, found, ["location", "child"], done)


@require_http_methods(["GET", "POST"])
def location_link(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _location(request, public_id)
    done = reverse("intelligence:location", kwargs={"public_id": found.public_id})
    return _link_page(request, found, ["person", "child"], done)


def _note_page(
    request: HttpRequest, about: dict[str, Any], record: Callable[[str, str], object], done: str
) -> HttpResponse:
    form = forms.NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record(form.cleaned_data["text"], form.cleaned_data["source"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Intelligence note added")
            return redirect(done)
    context = {"form": form, "title": "Add an intelligence note", "about": about, "back": done}
    return render(request, "intelligence/form.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def child_note(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_see_intelligence(actor) and not child.is_merged)
    done = reverse("intelligence:child", kwargs={"public_id": child.public_id})
    return _note_page(
        request,
        _describe(child),
        lambda text, source: services.note_add(actor=actor, child=child, text=text, source=source),
        done,
    )


@require_http_methods(["GET", "POST"])
def person_note(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = _person(request, public_id)
    done = reverse("intelligence:person", kwargs={"public_id": found.public_id})
    return _note_page(
        request,
        _describe(found),
        lambda text, source: services.note_add(actor=actor, person=found, text=text, source=source),
        done,
    )
