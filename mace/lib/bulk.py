"""Inserting many new records of one model at once: on PostgreSQL by COPY, elsewhere with
`bulk_create`.

Django's `bulk_create` on PostgreSQL builds an `INSERT ... SELECT * FROM UNNEST(...)` whose
parameters it prepares value by value in Python (`get_db_prep_save` for every field of every
row), and psycopg then dumps each column as an array, again in Python. For the tracker
import, which inserts tens of thousands of records a run (episodes, gradings, interviews,
offers, worklist items), that was about a quarter of its time. COPY takes the rows as they
are: the ids are taken from the table's sequence first, in one query, so that the records
that refer to these (a grading to its episode) know them before they are inserted.
"""

from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from mace.lib.days import day_of

_Model = TypeVar("_Model", bound=models.Model)

# Fields whose Python value psycopg writes as the column needs, with no preparing by Django.
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,  # and its kinds: EmailField, SlugField, URLField
    models.DateField,  # and DateTimeField
    models.DecimalField,
    models.FloatField,
    models.IntegerField,  # and its kinds
    models.TextField,
    models.UUIDField,
    models.ForeignKey,  # its attname: the id
)

# The pre_save of fields that set nothing as they are saved, but for auto_now(_add).
_OWN_PRE_SAVE = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


def take_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids for new records of `model`, from its table's sequence, in one query
    (PostgreSQL only)."""
    with connection.cursor() as cursor:
        # The sequence's name found once (MATERIALIZED: not once a row, as the planner would
        # otherwise inline it; that was most of the query's time).
        cursor.execute(
            "WITH sequence AS MATERIALIZED"
            " (SELECT pg_get_serial_sequence(%s, %s)::regclass AS name)"
            " SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_new(model: type[_Model], records: Sequence[_Model]) -> None:
    """Insert these new records of `model`, in one statement, as `bulk_create` does: each
    gets its id (a record given one keeps it), a record it refers to that was inserted
    before gives its id to the key (`episode` to `episode_id`), `auto_now` and
    `auto_now_add` fields take the time, and each record is marked as saved. No signals are
    sent, as with `bulk_create`. Keys, constraints and uniqueness are the database's to
    check: a breach raises IntegrityError and nothing of the statement is written."""
    if not records:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(records)
        return
    pk = model._meta.pk
    assert pk is not None
    without_id = [record for record in records if record.pk is None]
    if without_id:
        for record, new_id in zip(without_id, take_ids(model, len(without_id)), strict=True):
            record.pk = new_id
    rows = _rows(model)
    table = connection.ops.quote_name(model._meta.db_table)
    # Django's error classes (IntegrityError, OperationalError) for psycopg's, as for a
    # query through Django: the callers (the import's chunks) tell them apart.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({rows.columns}) FROM STDIN") as copy,  # the model's
    ):
        for row in rows.read(records):
            copy.write_row(row)
    for record in records:
        record._state.adding = False
        record._state.db = connection.alias


class _Rows:
    """How to read a model's records as rows for COPY, quickly: every column's value read at
    once (`attrgetter`), then the few that need more than their value put right: a key
    whose related record was saved since it was set, the time of `auto_now` and
    `auto_now_add` (one time for the whole insert, as one statement), a choice as its
    value, and a field that prepares its value for the database (JSON)."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = [
            field
            for field in model._meta.concrete_fields
            if not getattr(field, "generated", False)  # the database computes those
        ]
        self.columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        self.fields = fields
        self.getter = attrgetter(*(field.attname for field in fields))
        self.keys: list[tuple[int, str]] = []  # (index, name) of relations
        self.times: list[tuple[int, str, bool]] = []  # (index, attname, a date only)
        self.choices: list[int] = []
        self.prepared: list[tuple[int, models.Field[Any, Any]]] = []
        for index, field in enumerate(fields):
            if field.is_relation:
                self.keys.append((index, field.name))
            elif isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                self.times.append(
                    (index, field.attname, not isinstance(field, models.DateTimeField))
                )
            elif type(field).pre_save not in _OWN_PRE_SAVE:
                self.prepared.append((index, field))  # a field that sets its value as saved
            elif isinstance(field, _PLAIN):
                if field.choices:
                    self.choices.append(index)
            else:
                self.prepared.append((index, field))

    def read(self, records: Sequence[models.Model]) -> Iterator[list[Any]]:
        now = timezone.now()
        today = day_of(now)
        for record in records:
            row = list(self.getter(record))
            for index, name in self.keys:
                if row[index] is None and self.fields[index].is_cached(record):  # type: ignore[attr-defined]
                    # A related record saved since it was set: its id now, as bulk_create does.
                    related = getattr(record, name)
                    if related is not None:
                        row[index] = related.pk
                        # Set again as a record, as bulk_create does: the key follows, and
                        # the record stays held (setting the key alone lets it go, and the
                        # next read of it is a query).
                        setattr(record, name, related)
            for index, attname, date_only in self.times:
                row[index] = today if date_only else now
                setattr(record, attname, row[index])
            for index in self.choices:
                value = row[index]
                if isinstance(value, Enum):
                    row[index] = value.value
            for index, field in self.prepared:
                row[index] = field.get_db_prep_save(field.pre_save(record, True), connection)
            yield row


def maker(model: type[_Model], names: Sequence[str]) -> Callable[..., _Model]:
    """A constructor of new records of `model` from the values of the fields `names`, given
    in that order (a relation by its record, or None), the other fields taking their
    defaults: the record `model(**dict(zip(names, values)))` makes, several times quicker
    (a sync builds tens of thousands of worklist items, and `Model.__init__` checking its
    keyword arguments one by one was a tenth of the import's time). No `pre_init` or
    `post_init` signal is sent: a model something listens to those for is refused."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        raise ValueError(f"{model.__name__} has init signals; use its constructor")
    opts = model._meta
    # (attname, the relation's name or None, the other side of a one-to-one or None)
    given: list[tuple[str, str | None, Any]] = []
    for name in names:
        field = opts.get_field(name)
        assert isinstance(field, models.Field), name  # a column, not a relation's other side
        relation = field.name if field.is_relation else None
        other = field.remote_field
        single = other if other is not None and not other.multiple else None
        given.append((field.attname, relation, single))
    named = set(names)
    fixed: dict[str, Any] = {}
    each: list[models.Field[Any, Any]] = []  # defaults made anew for every record
    for field in opts.concrete_fields:
        if field.name in named:
            continue
        if field.has_default() and callable(field.default):
            each.append(field)
        else:
            fixed[field.attname] = field.get_default()
    new = object.__new__

    def make(*values: Any) -> _Model:
        record = new(model)
        record._state = ModelState()
        attributes = record.__dict__
        attributes.update(fixed)
        for field in each:
            attributes[field.attname] = field.get_default()
        cache = None
        for (attname, relation, single), value in zip(given, values, strict=True):
            if relation is None:
                attributes[attname] = value
            else:
                attributes[attname] = None if value is None else value.pk
                if cache is None:
                    cache = record._state.fields_cache
                cache[relation] = value
                if single is not None and value is not None:
                    # A one-to-one: the other record holds this one too, as the
                    # constructor leaves it (episode.return_interview, no query).
                    single.set_cached_value(value, record)
        return record

    return make


@cache
def _rows(model: type[models.Model]) -> _Rows:
    return _Rows(model)


@cache
def _fields(
    model: type[models.Model],
) -> "list[tuple[models.Field[Any, Any], Callable[[models.Model], Any]]]":
    """The model's columns, each with how to read its value from a record (update_many)."""
    return [
        (field, _reader(field))
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False)  # the database computes those
    ]


def _reader(field: "models.Field[Any, Any]") -> Callable[[models.Model], Any]:
    attname = field.attname
    if field.is_relation:
        name = field.name

        def related_id(record: models.Model) -> Any:
            value = getattr(record, attname)
            if value is None and field.is_cached(record):  # type: ignore[attr-defined]
                # A related record saved since it was set: its id now, as bulk_create does.
                related = getattr(record, name)
                if related is not None:
                    value = related.pk
                    setattr(record, attname, value)
            return value

        return related_id
    if type(field).pre_save is not models.Field.pre_save:
        # auto_now, auto_now_add: the field sets the value as it is saved.
        def pre_saved(record: models.Model) -> Any:
            return _plain(field.pre_save(record, True))

        return pre_saved
    if isinstance(field, _PLAIN):

        def plain(record: models.Model) -> Any:
            return _plain(getattr(record, attname))

        return plain

    def prepared(record: models.Model) -> Any:
        return field.get_db_prep_save(getattr(record, attname), connection)

    return prepared


def _plain(value: Any) -> Any:
    # A choice (TextChoices, IntegerChoices) is written as its value.
    return value.value if isinstance(value, Enum) else value


def update_many(model: type[_Model], records: Sequence[_Model], names: Sequence[str]) -> None:
    """Write these fields of these saved records, as `bulk_update` does: on PostgreSQL in
    one `UPDATE ... FROM unnest(...)` (Django's `bulk_update` writes a `CASE` a field with a
    `WHEN` a record, built and bound in Python, several times slower), elsewhere with
    `bulk_update`. `auto_now` (and `auto_now_add`) fields named take the time."""
    if not records:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(records, list(names), batch_size=500)
        return
    pk = model._meta.pk
    assert pk is not None
    fields = [pk]
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column, not a relation's other side
        fields.append(field)
    readers = dict(_fields(model))
    quote = connection.ops.quote_name
    unnested = ", ".join(
        f"unnest(%s::{field.db_type(connection)}[]) AS {quote(field.column)}" for field in fields
    )
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields[1:])
    sql = (  # names of the model only; the values are parameters
        f"UPDATE {table} SET {assignments} FROM (SELECT {unnested}) AS v "  # noqa: S608
        f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    values = [[readers[field](record) for record in records] for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
