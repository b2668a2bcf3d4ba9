"""Pages of children missing education and pupils missing out on education (SPEC C6).
Thin: selectors decide what the user may see, services record."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mace.access import policy
from mace.education import forms, selectors, services
from mace.education.calendar import compulsory_school_age
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.lib.concurrency import EditConflict
from mace.people.models import Child, DuplicateReviewSource
from mace.people.selectors import ReasonRequired
from mace.people.shortcuts import with_child
from mace.worklist.models import DueItem

CASE_FIELDS = (
    "school",
    "reason",
    "deletion_ground",
    "absent_since",
    "notified_on",
    "destination",
    "destination_detail",
)


def asks_reason(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A restricted child's case or tracker entry opens as the child's record does: the user
    is sent to give a reason first (issue 16)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ReasonRequired as refused:
            return redirect("people:reason", public_id=refused.child.public_id)

    return wrapper


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "education/form.html",
        {"form": form, "title": title, "back": back, **extra},
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    show_closed = request.GET.get("closed") == "1"
    cases = list(selectors.register(actor=actor, show_closed=show_closed))
    entries = list(selectors.tracker(actor=actor))
    children = [c.child for c in cases] + [e.child for e in entries]
    context = {
        "cases": cases,
        "entries": entries,
        "shown": selectors.shown_in_full(actor=actor, children=children),
        "flags": selectors.flags_for(children),
        "show_closed": show_closed,
        "today": timezone.localdate(),
        "can_keep_terms": policy.can_keep_term_dates(actor),
    }
    return render(request, "education/index.html", context)


@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest) -> HttpResponse:
    """Notify a child not yet chosen: MACE finds the child's record by name and date of
    birth, or makes one, so there is one record however the child comes to notice."""
    actor = acting_user(request)
    policy.require(policy.can_use_education(actor) and policy.can_create_child(actor))
    form = forms.NotifyNewChildForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.child_for_notification(
                actor=actor,
                **{k: data[k] for k in ("first_name", "last_name", "date_of_birth", "gender")},
            )
            case = services.cme_notify(
                actor=actor, child=child, **{k: data[k] for k in CASE_FIELDS}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Child added to the register of children missing education")
            return redirect("education:case", public_id=case.public_id)
    return _form_page(
        request,
        form,
        "Notify a child missing education",
        reverse("education:index"),
        hint="If MACE already holds the child (same name and date of birth), the notification "
        "is added to that record.",
    )


@require_http_methods(["GET", "POST"])
@with_child
def notify_child(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_use_education(actor) and not child.is_merged)
    form = forms.NotifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.cme_notify(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Child added to the register of children missing education")
            return redirect("education:case", public_id=case.public_id)
    return _form_page(
        request,
        form,
        "Notify missing education",
        reverse("people:detail", kwargs={"public_id": child.public_id}),
        child=child,
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_use_education(actor) and policy.can_create_child(actor))
    form = forms.UploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            cases = services.notifications_import(
                actor=actor, name=upload.name, data=upload.read(services.MAX_UPLOAD_BYTES + 1)
            )
        except services.UploadRejected as error:
            problems = error.problems
        else:
            messages.success(request, f"{len(cases)} notifications added to the register")
            return redirect("education:index")
    return render(
        request,
        "education/upload.html",
        {
            "form": form,
            "problems": problems,
            "title": "Upload notifications",
            "columns": [*services.NOTIFICATION_COLUMNS, *services.NOTIFICATION_OPTIONAL],
            "back": reverse("education:index"),
        },
    )


@require_GET
@asks_reason
def case(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.case_get(actor=actor, public_id=public_id)
    context = {
        "case": found,
        "child": found.child,
        "flags": selectors.flags_for([found.child])[found.child.pk],
        "school_age": compulsory_school_age(found.child.date_of_birth)
        if found.child.date_of_birth
        else None,
        "due": DueItem.objects.filter(
            child=found.child, rule__in=["T17", "T18", "T19"], key__endswith=f":cme:{found.pk}"
        ).order_by("due_at"),
    }
    return render(request, "education/case.html", context)


def _edit(
    request: HttpRequest, public_id: str, form_class: Any, title: str, save: Any
) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.case_get(actor=actor, public_id=public_id)
    initial = {name: getattr(found, name, None) for name in form_class.base_fields}
    initial["version"] = found.version
    if form_class is forms.CloseForm:
        initial["closed_on"] = timezone.localdate()
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            save(actor=actor, case=found, expected_version=version, **data)
        except (ValidationError, EditConflict) as error:
            if isinstance(error, EditConflict):
                form.add_error(None, str(error))
            else:
                apply_errors(form, error)
        else:
            messages.success(request, "Case updated")
            return redirect("education:case", public_id=found.public_id)
    return _form_page(
        request,
        form,
        title,
        reverse("education:case", kwargs={"public_id": found.public_id}),
        child=found.child,
    )


@require_http_methods(["GET", "POST"])
@asks_reason
def case_update(request: HttpRequest, public_id: str) -> HttpResponse:
    return _edit(request, public_id, forms.CaseUpdateForm, "Update the case", services.cme_update)


@require_http_methods(["GET", "POST"])
@asks_reason
def case_close(request: HttpRequest, public_id: str) -> HttpResponse:
    return _edit(request, public_id, forms.CloseForm, "Close the case", services.cme_close)


@require_http_methods(["GET", "POST"])
@asks_reason
def check_add(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.case_get(actor=actor, public_id=public_id)
    form = forms.CheckForm(posted(request), initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cme_check_add(actor=actor, case=found, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Check recorded")
            return redirect("education:case", public_id=found.public_id)
    return _form_page(
        request,
        form,
        "Record a check",
        reverse("education:case", kwargs={"public_id": found.public_id}),
        child=found.child,
    )


@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    entries = list(selectors.tracker(actor=actor, show_resolved=True))
    return render(
        request,
        "education/returns.html",
        {
            "returns": selectors.returns(actor=actor),
            "entries": entries,
            "shown": selectors.shown_in_full(actor=actor, children=[e.child for e in entries]),
        },
    )


@require_http_methods(["GET", "POST"])
def return_upload(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_use_education(actor) and policy.can_create_child(actor))
    form = forms.ReturnUploadForm(
        posted(request), request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            found = services.termly_return_import(
                actor=actor,
                school=data["school"],
                term=data["term"],
                received_on=data["received_on"],
                name=upload.name,
                data=upload.read(services.MAX_UPLOAD_BYTES + 1),
            )
        except services.UploadRejected as error:
            problems = error.problems
        except ValidationError as error:
            apply_errors(form, error)
        else:
            concern = found.entries.exclude(concerns=[]).count()
            messages.success(
                request,
                f"Return imported: {found.entries.count()} pupils, {concern} of concern "
                "(on the tracker)",
            )
            return redirect("education:returns")
    return render(
        request,
        "education/upload.html",
        {
            "form": form,
            "problems": problems,
            "title": "Upload a termly return",
            "columns": services.RETURN_COLUMNS,
            "back": reverse("education:returns"),
        },
    )


@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_use_education(actor) and policy.can_create_child(actor))
    form = forms.EntryForm(posted(request), initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.child_for_notification(
                actor=actor,
                source=DuplicateReviewSource.TERMLY_RETURN,
                **{k: data[k] for k in ("first_name", "last_name", "date_of_birth", "gender")},
            )
            entry = services.missing_out_entry_add(
                actor=actor,
                child=child,
                **{
                    k: data[k]
                    for k in (
                        "school",
                        "term",
                        "received_on",
                        "reason",
                        "hours_per_week",
                        "has_ehcp",
                    )
                },
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            where = (
                "on the tracker: it meets a criterion of concern" if entry.concerns else "recorded"
            )
            messages.success(request, f"Pupil {where}")
            return redirect("education:returns")
    return _form_page(request, form, "Add a pupil to a termly return", reverse("education:returns"))


@require_http_methods(["GET", "POST"])
@asks_reason
def entry_resolve(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    entry = selectors.entry_get(actor=actor, public_id=public_id)
    form = forms.ResolveForm(posted(request), initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_out_resolve(actor=actor, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Resolved: taken off the tracker")
            return redirect("education:index")
    return _form_page(
        request,
        form,
        "Resolve on the tracker",
        reverse("education:index"),
        child=entry.child,
        entry=entry,
    )


@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_keep_term_dates(actor))
    form = forms.TermForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_save(
                actor=actor, authority_code=selectors.home_authority_code(), **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Term dates saved: {term.school_year} {term.name}")
            return redirect("education:terms")
    return render(
        request,
        "education/terms.html",
        {"form": form, "years": selectors.term_dates(), "title": "Term dates"},
    )
