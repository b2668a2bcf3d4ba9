"""The service navigation, for base.html, from what the signed-in user may do."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _url(name: str) -> str | None:
    """The URL of a page, or None while that page does not exist yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict[str, object]:
    """`nav_items`: label, url, active and description of each part of MACE the user may use.

    Empty until the user has signed in with both factors. An item is active on its own
    pages: the home page only on itself, the others on every page under their URL.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # django_otp's middleware adds is_verified(); without it, treat the user as unverified.
    is_verified = getattr(user, "is_verified", None)
    if not callable(is_verified) or not is_verified():
        return {"nav_items": []}

    # Imported here: the policy imports models, which are not ready when settings load.
    from mace.access import policy

    entries = [
        ("Home", "frontend:home", True, ""),
        (
            "Worklist",
            "worklist:mine",
            policy.sees_identifiable_data(user),
            "What is due and what is late, with the rule behind each item.",
        ),
        (
            "Children",
            "people:search",
            policy.can_search_children(user),
            "Find a child's record.",
        ),
        (
            "Intelligence",
            "intelligence:index",
            policy.can_see_intelligence(user),
            "Persons of concern, places and hotspots, and the links between them.",
        ),
        (
            "Panels",
            "meetings:index",
            policy.can_use_panels(user),
            "The monitoring meeting and the MASE: agendas, discussions, actions and minutes.",
        ),
        (
            "Education",
            "education:index",
            policy.can_use_education(user),
            "Children missing education, and pupils missing out on education.",
        ),
        (
            "Reports",
            "reports:index",
            policy.can_run_reports(user),
            "The annual report: figures and charts, as CSV, Excel and PDF.",
        ),
        (
            "Audit log",
            "audit:search",
            policy.can_read_audit(user),
            "See who viewed, created, changed or exported records, and when.",
        ),
        (
            "Users",
            "accounts:user_list",
            policy.can_manage_users(user),
            "Add user accounts and change their roles and access.",
        ),
        (
            "Retention",
            "retention:index",
            policy.can_review_retention(user),
            "Records due for deletion under the retention rules, to keep or delete.",
        ),
        (
            "Settings",
            "configuration:overview",
            policy.can_configure(user),
            "Timescales, return home interview providers, letterhead, suppression, go-live "
            "and the risk assessment instrument.",
        ),
    ]
    items: list[dict[str, object]] = []
    for label, url_name, allowed, description in entries:
        url = _url(url_name) if allowed else None
        if url is None:
            continue
        active = (
            request.path == url if url_name == "frontend:home" else request.path.startswith(url)
        )
        items.append({"label": label, "url": url, "active": active, "description": description})
    from mace.worklist.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread}
