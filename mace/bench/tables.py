"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite.


A `Table` buffers the rows of one model, in the columns of its concrete fields, and gives
out primary keys from max(id) + 1, so rows can refer to each other before they are written.
`flush()` writes the buffer: one COPY statement (PostgreSQL) or one executemany (SQLite).
The caller flushes parents before children: the loader makes PostgreSQL check foreign keys
at the end of each statement rather than at commit, so no queue of millions of checks builds
up inside the one transaction. `Loader.finish()` moves each table's sequence past the keys
given out. Nothing here knows about MACE: models, fields and columns come from `_meta`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

Adapter = Callable[[Any], Any] | None


class Loader:
    """The tables being written in one transaction, on the connection's database."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.tables: list[Table] = []
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def table(self, model: type[models.Model]) -> Table:
        table = Table(self, model)
        self.tables.append(table)
        return table

    def finish(self) -> None:
        """Flush what is left, move each sequence past the keys used, refresh statistics."""
        for table in self.tables:
            table.flush()
        if not self.postgres:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables:
                if not table.written:
                    continue
                name, pk = quote(table.db_table), quote(table.pk_column)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                    f"(SELECT COALESCE(MAX({pk}), 1) FROM {name}), "
                    f"(SELECT MAX({pk}) IS NOT NULL FROM {name}))",
                    [name, table.pk_column],
                )
            for table in self.tables:
                if table.written:
                    cursor.execute(f"ANALYZE {quote(table.db_table)}")


class Table:
    """The buffered rows of one model."""

    def __init__(self, loader: Loader, model: type[models.Model]) -> None:
        self.loader = loader
        self.model = model
        meta = model._meta
        self.db_table = meta.db_table
        pk = meta.pk
        assert pk is not None
        self.pk_name = pk.attname
        self.pk_column = pk.column
        fields = list(meta.concrete_fields)
        self.names = [field.attname for field in fields]
        self.columns = [field.column for field in fields]
        self.adapters = [self._adapter(field) for field in fields]
        self.defaults = [self._default(field) for field in fields]
        self.required = {
            field.attname
            for field, default in zip(fields, self.defaults, strict=True)
            if default is None and not field.null
        }
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.checked = False
        with connection.cursor() as cursor:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(self.pk_column)}) FROM {quote(self.db_table)}")  # noqa: S608
            (highest,) = cursor.fetchone() or (None,)
        self._next_id = (highest or 0) + 1

    @staticmethod
    def _default(field: models.Field[Any, Any]) -> Any:
        if field.has_default() and callable(field.default):
            return None  # uuid4 and the like: the caller gives every such value
        return field.get_default()

    def _adapter(self, field: models.Field[Any, Any]) -> Adapter:
        """How a Python value becomes what the driver takes for this column."""
        kind = field.get_internal_type()
        if kind == "JSONField":
            return json.dumps
        if self.loader.postgres:
            return None  # psycopg writes dates, datetimes, UUIDs and booleans itself
        ops = connection.ops
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind == "UUIDField":
            return lambda value: value.hex
        return None

    def next_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, **values: Any) -> int:
        """Buffer one row given by attribute name (`child_id`); returns its primary key."""
        if self.pk_name not in values:
            values[self.pk_name] = self.next_id()
        if not self.checked:
            self._check(values)
        self.rows.append(tuple(map(values.get, self.names, self.defaults)))
        return int(values[self.pk_name])

    def _check(self, values: dict[str, Any]) -> None:
        unknown = set(values) - set(self.names)
        missing = self.required - set(values)
        if unknown or missing:
            raise ValueError(
                f"{self.model.__name__}: unknown columns {sorted(unknown)}, "
                f"required columns not given {sorted(missing)}"
            )
        self.checked = True

    def __len__(self) -> int:
        return self.written + len(self.rows)

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self._adapted(self.rows)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if self.loader.postgres:
                sql = f"COPY {quote(self.db_table)} ({columns}) FROM STDIN"
                with cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.written += len(self.rows)
        self.rows = []

    def _adapted(self, rows: Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
        adapters = [(n, adapt) for n, adapt in enumerate(self.adapters) if adapt is not None]
        if not adapters:
            return rows
        out = []
        for row in rows:
            values = list(row)
            for n, adapt in adapters:
                if values[n] is not None:
                    values[n] = adapt(values[n])
            out.append(tuple(values))
        return out
