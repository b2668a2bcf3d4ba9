from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|get_item:key`: a dictionary's value in a template."""
    return mapping.get(key)


@register.filter
def is_in(value: Any, collection: Any) -> bool:
    """`value|is_in:collection`: whether the value is one of the collection's."""
    return bool(collection) and value in collection
