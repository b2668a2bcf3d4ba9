"""`{% child_header child %}`: the child at a glance, at the top of every child page (issue
19 point 2). What it shows is `people.selectors.child_header`'s, for the signed-in user."""

from typing import Any

from django import template

from mace.people import selectors
from mace.people.models import Child

register = template.Library()


@register.inclusion_tag("people/includes/child_header.html", takes_context=True)
def child_header(
    context: template.Context, child: Child, episode: Any = None, named: bool = True
) -> dict[str, Any]:
    """On an episode's own page (`episode`) the page says how long the child has been
    missing, so the header does not say it twice (issue 19 point 10). On the child's own
    page, whose heading is the child's name and reference, the header does not name them
    again (`named=False`)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or child is None:
        return {"header": None}
    header = selectors.child_header(actor=user, child=child)
    on_its_page = (
        header is not None and header.open_episode is not None and episode is not None
    ) and header.open_episode.pk == episode.pk
    return {"header": header, "on_its_page": on_its_page, "named": named}
