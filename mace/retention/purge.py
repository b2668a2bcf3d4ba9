"""What a purge removes (issue 20 point 1): the child and every row with a path of foreign
keys to them, in every app, found from the model graph rather than listed by hand, so a
record type added later is purged too (`mace/retention/tests/test_purge.py` enumerates the
graph and fails when a model appears that it has not been told about).

The graph is every concrete foreign key and one-to-one field of every installed model,
many-to-many tables included (a child missing together with another child's episode: the
row of `Episode.with_children` goes, the other child's episode stays). A row is purged when
it points at a purged row; rows are then deleted leaves first, so no PROTECT stops it.
Records merged into the child (`Child.merged_into`) are the child's too and go with it.
"""

import graphlib
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.db import models, transaction

from mace.audit.labels import record_type
from mace.people.models import Child


@dataclass(frozen=True)
class Edge:
    """`model.field` points at `target`."""

    model: type[models.Model]
    field: str
    target: type[models.Model]


def edges_to_child() -> list[Edge]:
    """Every foreign key on a path to `people.Child`, in the order found (breadth first)."""
    pointing: dict[type[models.Model], list[Edge]] = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is not None:
                target = field.related_model
                assert not isinstance(target, str)
                pointing[target].append(Edge(model, field.name, target))
    found: list[Edge] = []
    reached: list[type[models.Model]] = [Child]
    seen: set[type[models.Model]] = {Child}
    while reached:
        target = reached.pop(0)
        for edge in pointing[target]:
            found.append(edge)
            if edge.model not in seen:
                seen.add(edge.model)
                reached.append(edge.model)
    return found


def purged_models() -> list[type[models.Model]]:
    """Every model a purge may take rows from, in the order they are deleted: a model before
    the ones it points at."""
    sorter: graphlib.TopologicalSorter[type[models.Model]] = graphlib.TopologicalSorter()
    sorter.add(Child)
    for edge in edges_to_child():
        if edge.model is not edge.target:
            # The target must outlive the rows that point at it: delete them first.
            sorter.add(edge.target, edge.model)
    return list(sorter.static_order())


def rows_to_purge(child: Child) -> dict[type[models.Model], set[int]]:
    """The primary keys, model by model, of every row a purge of `child` removes."""
    rows: dict[type[models.Model], set[int]] = defaultdict(set)
    rows[Child] = {child.pk}
    edges = edges_to_child()
    changed = True
    while changed:  # until no edge adds a row: paths of any length, and merged records
        changed = False
        for edge in edges:
            targets = rows.get(edge.target)
            if not targets:
                continue
            found = set(
                edge.model._default_manager.filter(
                    **{f"{edge.field}__in": list(targets)}
                ).values_list("pk", flat=True)
            )
            if not found <= rows[edge.model]:
                rows[edge.model] |= found
                changed = True
    return {model: pks for model, pks in rows.items() if pks}


def counts(rows: dict[type[models.Model], set[int]]) -> list[tuple[str, int]]:
    """How many rows of each record type, in words, for the confirmation page and the
    tombstone: the child first, then by record type."""
    words = [
        (record_type(model._meta.label_lower), len(pks))
        for model, pks in rows.items()
        if model is not Child
    ]
    return [("Child's record", len(rows.get(Child, ()))), *sorted(words)]


def delete_rows(rows: dict[type[models.Model], set[int]]) -> None:
    """Delete the rows, leaves first, in the caller's transaction."""
    _delete_files_on_commit(rows)
    merged = rows.get(Child, set())
    Child.objects.filter(pk__in=merged, merged_into__isnull=False).update(merged_into=None)
    for model in purged_models():
        pks = rows.get(model)
        if pks:
            model._default_manager.filter(pk__in=list(pks)).delete()


def _delete_files_on_commit(rows: dict[type[models.Model], set[int]]) -> None:
    """The files the rows hold (the child's photographs, kept outside the database) are
    deleted too, once the purge's transaction has committed: a purge rolled back keeps them,
    and a committed one leaves no image of the child on disk."""
    for model, pks in rows.items():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField) or not pks:
                continue
            names = model._default_manager.filter(pk__in=list(pks)).values_list(
                field.attname, flat=True
            )
            for name in [name for name in names if name]:
                transaction.on_commit(partial(field.storage.delete, name))
