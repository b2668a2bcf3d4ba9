"""The child a page opens: `@with_child` views get the child as their second argument, opened
for the requesting user through `people.selectors.child_get` (logged), or are sent to give a
reason first for a restricted record."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mace.frontend.shortcuts import acting_user
from mace.people import selectors

ChildView = Callable[..., HttpResponse]


def with_child(view: ChildView) -> ChildView:
    """Open the child for the requesting user, or send them to give a reason if restricted."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, public_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            child = selectors.child_get(actor=acting_user(request), public_id=public_id)
        except selectors.ReasonRequired:
            return redirect("people:reason", public_id=public_id)
        return view(request, child, *args, **kwargs)

    return wrapper
