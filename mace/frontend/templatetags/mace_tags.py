from typing import Any

from django import forms, template

from mace.frontend.banners import banner
from mace.lib.paragraphs import paragraphs as _paragraphs

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|get_item:key`: a dictionary's value in a template."""
    return mapping.get(key)


@register.filter
def paragraphs(text: str) -> list[str]:
    """`text|paragraphs`: free text's paragraphs (`lib.paragraphs`), each to be shown in its
    own <p>, its line breaks with `linebreaksbr`."""
    return _paragraphs(text)


@register.filter
def is_in(value: Any, collection: Any) -> bool:
    """`value|is_in:collection`: whether the value is one of the collection's."""
    return bool(collection) and value in collection


@register.simple_tag
def notification_banner(messages: Any) -> Any:
    """`{% notification_banner messages as banner %}`: the request's messages as one banner
    (`mace.frontend.banners`)."""
    return banner(messages)


_COUNT_CLASS = "govuk-js-character-count"


@register.simple_tag
def character_limit(
    field: forms.BoundField, max_characters: Any = None, max_words: Any = None
) -> Any:
    """`{% character_limit field max_characters max_words as limit %}` in gds/field.html:
    the number of characters a GOV.UK character count allows the field, or "" for none.

    A layout's own max_characters wins; otherwise every textarea whose field has a
    max_length gets one (issue 19 point 5). For a counted field the widget's own
    `maxlength` goes, as the Design System asks, so that text pasted in over the limit is
    not cut off without a word: the form refuses it and says by how much. The count's
    class and aria-describedby are left to the template to add on each render, so a form
    rendered twice does not repeat them.
    """
    widget = field.field.widget
    limit = max_characters or None
    if not limit and not max_words and isinstance(widget, forms.Textarea):
        limit = getattr(field.field, "max_length", None)
    if not limit and not max_words:
        return ""
    classes = [name for name in widget.attrs.get("class", "").split() if name != _COUNT_CLASS]
    widget.attrs["class"] = " ".join(classes)
    widget.attrs.pop("aria-describedby", None)
    widget.attrs.pop("maxlength", None)
    return int(limit) if limit else ""
