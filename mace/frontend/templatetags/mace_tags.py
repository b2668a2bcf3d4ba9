from typing import Any

from django import template

from mace.frontend.banners import banner

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|get_item:key`: a dictionary's value in a template."""
    return mapping.get(key)


@register.filter
def is_in(value: Any, collection: Any) -> bool:
    """`value|is_in:collection`: whether the value is one of the collection's."""
    return bool(collection) and value in collection


@register.simple_tag
def notification_banner(messages: Any) -> Any:
    """`{% notification_banner messages as banner %}`: the request's messages as one banner
    (`mace.frontend.banners`)."""
    return banner(messages)
