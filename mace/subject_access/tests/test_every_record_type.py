"""The export holds every kind of record about a child: every model with a path of relations
to a child has a source, and every relation straight to a child is one of its source's paths,
so a new model (or a new link to a child) cannot be left out silently."""

from collections import deque

from django.apps import apps
from django.db import models

from mace.people.models import Child
from mace.subject_access.sources import SOURCES


def _mace_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("mace.")]


def _relations(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is not None
    ]


def models_about_a_child() -> dict[str, list[str]]:
    """Every model from which relations (foreign keys, one-to-ones, many-to-manys) lead to a
    child, by label, with the names of its relations straight to a child."""
    reached: dict[type[models.Model], list[str]] = {Child: []}
    queue: deque[type[models.Model]] = deque([Child])
    everything = _mace_models()
    while queue:
        target = queue.popleft()
        for model in everything:
            if model in reached:
                continue
            if any(f.related_model is target for f in _relations(model)):
                reached[model] = []
                queue.append(model)
    for model in reached:
        reached[model] = [f.name for f in _relations(model) if f.related_model is Child]
    return {model._meta.label_lower: names for model, names in reached.items()}


def test_every_model_with_a_path_to_a_child_has_a_source():
    covered = {source.label for source in SOURCES}
    missing = sorted(set(models_about_a_child()) - covered)
    assert not missing, f"Add a Source to mace/subject_access/sources.py for {missing}"


def test_every_relation_straight_to_a_child_is_a_path_of_its_source():
    paths = {source.label: set(source.paths) for source in SOURCES}
    missing = [
        f"{label}.{name}"
        for label, names in models_about_a_child().items()
        if label != "people.child"
        for name in names
        if name not in paths.get(label, set())
    ]
    assert not missing, f"Add these to their Source's paths: {missing}"


def test_the_walk_finds_the_records_it_must():
    """So that the two tests above can fail: the walk reaches records one step away, several
    steps away and through a many-to-many."""
    found = models_about_a_child()
    assert found["people.relatedperson"] == ["child"]
    assert "interviews.interviewoffer" in found  # offer -> interview -> episode -> child
    assert set(found["episodes.episode"]) == {"child", "with_children"}
    assert set(found["intelligence.link"]) == {"child", "other_child"}
    assert "accounts.agency" not in found


def test_every_source_is_a_model_and_each_path_finds_a_child():
    for source in SOURCES:
        model = source.model
        for path in source.paths:
            # Raises FieldError for a path that does not exist.
            model._default_manager.filter(**{f"{path}__in": []}).query  # noqa: B018
            field = model
            for step in path.split("__"):
                relation = field._meta.get_field(step) if step != "pk" else None
                field = relation.related_model if relation is not None else field
            assert field is Child, f"{source.label}.{path} does not lead to a child"
