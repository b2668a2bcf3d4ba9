"""Django's checks of each value of a record (choices, lengths, blanks), with no query: the
domain functions check a record so before it is saved one at a time or inserted with others.

Keys, uniqueness and constraints are left to the database, which enforces them in the
writer's transaction: a breach refuses the record with nothing of it written.
"""

import functools
from collections.abc import Collection

from django.db import models


def check_values(
    instance: models.Model, exclude: Collection[str] = (), *, only: Collection[str] = ()
) -> None:
    """`instance.clean_fields()` but for its relations (their checks read the database) and
    the fields in `exclude`; with `only`, those fields alone (a record checked whole when it
    was made, of which these changed). Raises ValidationError naming each field at fault."""
    skip = _relations(type(instance))
    if only:
        skip = skip | (_names(type(instance)) - set(only))
    if exclude:
        skip = skip | set(exclude)
    instance.clean_fields(exclude=skip)  # a set: Django asks it of each field


@functools.cache
def _relations(model: type[models.Model]) -> frozenset[str]:
    return frozenset(field.name for field in model._meta.concrete_fields if field.is_relation)


@functools.cache
def _names(model: type[models.Model]) -> frozenset[str]:
    return frozenset(field.name for field in model._meta.concrete_fields)
