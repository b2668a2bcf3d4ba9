"""Helpers shared by every app's views: who is asking, the form they post and the errors a
service gives back. One copy here, imported by every `views.py`. They know no domain (the
child a page opens is `mace.people.shortcuts.with_child`), so every app may use them."""

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, QueryDict

from mace.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user, typed as ours (every page but sign-in requires one)."""
    return request.user  # type: ignore[return-value]


def posted(request: HttpRequest) -> QueryDict | None:
    """The POSTed data to bind a form to, or None on GET.

    `request.POST or None` would leave a form unbound, and silently valid-less, when a
    POST arrives with every field empty; this binds it, so its errors are shown.
    """
    return request.POST if request.method == "POST" else None


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has the field,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
