"""The audit trail search page. The form is POSTed so that names stay out of URLs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mace.access import policy
from mace.audit.forms import AuditSearchForm
from mace.audit.selectors import AUDIT_PAGE_SIZE, audit_entries, audit_search
from mace.frontend.shortcuts import acting_user, posted

NO_CHILD = "Enter the child's MACE reference or public id, for example MC-000123"
NO_CHILD_BY_NAME = (
    "Enter the MACE reference, public id or name of a child whose record you may open"
)


def search(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_read_audit(actor))
    by_name = policy.can_search_audit_by_child_name(actor)
    form = AuditSearchForm(posted(request), by_name=by_name)
    events = None
    matched: list[object] = []
    if request.method == "POST" and form.is_valid():
        found, matched_children = audit_search(actor=actor, **form.cleaned_data)
        if form.cleaned_data["child"].strip() and not matched_children:
            form.add_error("child", NO_CHILD_BY_NAME if by_name else NO_CHILD)
        else:
            events = audit_entries(actor=actor, events=list(found[:AUDIT_PAGE_SIZE]))
            matched = list(matched_children)
    context = {"form": form, "events": events, "matched": matched, "limit": AUDIT_PAGE_SIZE}
    return render(request, "audit/search.html", context)
