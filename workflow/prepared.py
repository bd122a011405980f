"""The statements every action sends, prepared once.

Turning a queryset into SQL costs more than running it on an indexed row, and PostgreSQL's
planning of a join costs more than its execution: the lock of a case, its steps, its files and
fee records and the holders of a role are read on every action, always with the same shape.

- A :class:`Prepared` read is written as an ordinary queryset whose parameters are named slots;
  the first run compiles it, later runs send the same SQL with new values and build the model
  instances as the ORM does (``from_db``, the rows of ``select_related``, annotations). Only
  integer and text slots, and no ``prefetch_related``; ``tests/workflow/test_prepared.py``
  holds each read to the queryset it was written as.
- :func:`execute` runs a statement, read or write, as a server-side prepared statement on
  PostgreSQL: each session plans it once (``DATABASE_PREPARED_STATEMENTS=0`` turns this off).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

_sentinels = itertools.count(1)


def _sentinel(kind: type) -> Any:
    number = next(_sentinels)
    if kind is int:
        return -(10**15) - number
    if kind is str:
        return f"\x1fslot{number}\x1f"
    raise TypeError(f"a prepared read takes int or str slots, not {kind.__name__}")


@dataclass
class _Compiled:
    sql: str
    params: list[Any]
    slots: dict[str, list[int]]
    compiler: Any
    converters: dict[int, Any]
    for_update: bool
    values: bool
    flat: bool


class Prepared:
    """``build(**slots)`` returns the queryset; ``slots`` names each parameter's type.

    ``run(**values)`` returns the model instances (or, for a ``values_list`` queryset, the
    tuples, or the values of a flat one) the queryset would, on the database the router picks
    for the model (for writing when the read locks rows).
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **slots: type) -> None:
        self._build = build
        self._slots = slots
        self._compiled: dict[str, _Compiled] = {}
        self._model_cls: type[Model] | None = None
        self._locks = False

    def queryset(self, **values: Any) -> QuerySet[Any, Any]:
        """The queryset itself, with ``values`` in its slots (for comparison in tests)."""
        return self._build(**values)

    def _compile(self, alias: str) -> _Compiled:
        sentinels = {name: _sentinel(kind) for name, kind in self._slots.items()}
        queryset = self._build(**sentinels)
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise TypeError("a prepared read cannot prefetch")
        if queryset._iterable_class not in (
            ModelIterable,
            ValuesListIterable,
            FlatValuesListIterable,
        ):
            raise TypeError("a prepared read returns instances or values_list() rows")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = {}
        for name, sentinel in sentinels.items():
            found = [n for n, p in enumerate(params) if type(p) is type(sentinel) and p == sentinel]
            if not found:
                raise TypeError(f"slot {name!r} is not among the query's parameters")
            positions[name] = found
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=params,
            slots=positions,
            compiler=compiler,
            converters=compiler.get_converters(columns),
            for_update=queryset.query.select_for_update,
            values=queryset._iterable_class is not ModelIterable,
            flat=queryset._iterable_class is FlatValuesListIterable,
        )

    def run(self, **values: Any) -> list[Any]:
        model = self._model()
        alias = router.db_for_write(model) if self._locks else router.db_for_read(model)
        connection = connections[alias]
        # The SQL and the converters depend on the database's vendor only.
        key = f"{alias}:{connection.vendor}"
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias)
        if compiled.for_update and not connection.in_atomic_block:
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            for position in positions:
                params[position] = values[name]
        with connection.cursor() as cursor:
            execute(cursor, compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiled.converters:
            rows = list(compiler.apply_converters(rows, compiled.converters))
        if compiled.flat:
            return [row[0] for row in rows]
        if compiled.values:
            return [tuple(row) for row in rows]
        return self._instances(compiler, rows, alias)

    def _model(self) -> type[Model]:
        if self._model_cls is None:
            sentinels = {name: _sentinel(kind) for name, kind in self._slots.items()}
            queryset = self._build(**sentinels)
            self._locks = queryset.query.select_for_update
            self._model_cls = queryset.model
        return self._model_cls

    @staticmethod
    def _instances(compiler: Any, rows: Any, alias: str) -> list[Any]:
        select, klass_info = compiler.select, compiler.klass_info
        annotations = compiler.annotation_col_map
        model_cls = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        # Django 5.2's signature; the stubs follow a later one.
        populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
        found = []
        for row in rows:
            instance = model_cls.from_db(alias, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


# --- server-side prepared statements (PostgreSQL) ---------------------------------------------

# SQL text → the name it is prepared under, in every session of this process. A statement whose
# text varies without bound (it never should) stops being prepared past the limit.
_names_by_sql: dict[str, str] = {}
_NAMES_KEPT = 2_000


def server_prepared(connection: Any) -> bool:
    """Whether statements are prepared on the server: PostgreSQL then plans each once per
    session instead of on every run.

    Off with ``DATABASE_PREPARED_STATEMENTS=0``, for a pooler that hands one session to many
    clients (PgBouncer in transaction mode), where a statement prepared by one is unknown to
    the next.
    """
    return connection.vendor == "postgresql" and bool(
        getattr(settings, "DATABASE_PREPARED_STATEMENTS", True)
    )


def execute(cursor: Any, sql: str, params: list[Any]) -> None:
    """Run ``sql`` on ``cursor`` (a Django cursor): as a prepared statement on PostgreSQL.

    What a session has prepared is remembered with its connection object: a new connection
    (after ``CONN_MAX_AGE``, or an error) starts with none. ``PREPARE`` goes on the raw
    connection, once per session, like the settings Django sends when it connects.
    """
    connection = cursor.db
    if not server_prepared(connection):
        cursor.execute(sql, params)
        return
    name = _names_by_sql.get(sql)
    if name is None:
        if len(_names_by_sql) >= _NAMES_KEPT:
            cursor.execute(sql, params)
            return
        name = _names_by_sql[sql] = f"approval_{len(_names_by_sql) + 1}"
    raw = connection.connection
    state = getattr(connection, "_approval_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, set[str]())
        connection._approval_prepared = state
    if name not in state[1]:
        with raw.cursor() as plain:
            plain.execute(f"PREPARE {name} AS {_numbered(sql)}")
        state[1].add(name)
    if params:
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


def _numbered(sql: str) -> str:
    """``sql`` with its ``%s`` placeholders numbered (``$1``, ``$2``…) as PREPARE wants."""
    numbers = itertools.count(1)
    return re.sub(r"%%|%s", lambda m: "%" if m.group(0) == "%%" else f"${next(numbers)}", sql)
