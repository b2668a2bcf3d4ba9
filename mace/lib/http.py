"""Request helpers shared by every app's views."""

from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POSTed data to bind a form to, or None on GET.

    `posted(request)` would leave a form unbound, and silently valid-less, when a
    POST arrives with every field empty; this binds it, so its errors are shown.
    """
    return request.POST if request.method == "POST" else None
