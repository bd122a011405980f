"""Keyset pages ("previous / next") for the workbench lists.

A numbered page needs the exact number of rows (a COUNT over the whole list) and an OFFSET
that reads and throws away every row before it; at a province's millions of cases both take
seconds. A keyset page asks for the rows after (or before) the last row shown, in the list's
own order, so the index that serves the order serves every page at the same cost. The list's
order must end with a unique column (``id``) and its columns must not be null.

The rows are counted only up to ``COUNT_LIMIT``: beyond that a list shows "more than 1,000".
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet

PAGE_SIZE = 25
# Rows counted before a list says "more than": counting stops there, so it costs the same at
# a thousand cases as at ten million.
COUNT_LIMIT = 1000


def _order_of(queryset: QuerySet) -> list[tuple[str, bool]]:
    """(field path, descending) of each column of the queryset's ordering."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    columns = []
    for item in ordering:
        if not isinstance(item, str):
            raise TypeError("keyset pages need an ordering by field names")
        descending = item.startswith("-")
        name = item.lstrip("-")
        columns.append(("pk" if name == "id" else name, descending))
    if not columns or columns[-1][0] != "pk":
        # A unique last column makes the position of every row exact.
        columns.append(("pk", columns[-1][1] if columns else True))
    return columns


def _field(model: type[Model], path: str):
    if path == "pk":
        return model._meta.pk
    *relations, name = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        assert isinstance(related, type), f"{relation} is not a relation"
        model = related
    return model._meta.get_field(name)


def _value(row: Model, path: str):
    value = row
    for name in path.split("__"):
        value = getattr(value, name)
    return value


def _encode(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(token: str, model: type[Model], columns: list[tuple[str, bool]]) -> list | None:
    """The row position in ``token``, or None for a token that is not one of ours."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(raw, list) or len(raw) != len(columns):
            return None
        return [
            _field(model, path).to_python(value)
            for (path, _descending), value in zip(columns, raw, strict=True)
        ]
    except (ValueError, TypeError, ValidationError, FieldDoesNotExist):
        return None


def _beyond(columns: list[tuple[str, bool]], values: list, *, forwards: bool) -> Q:
    """The rows after (``forwards``) or before the position ``values`` in the list's order."""
    condition = Q(pk__in=[])
    for depth, (path, descending) in enumerate(columns):
        later = "lt" if descending == forwards else "gt"
        step = Q(**{f"{path}__{later}": values[depth]})
        for earlier, earlier_value in zip(columns[:depth], values[:depth], strict=True):
            step &= Q(**{earlier[0]: earlier_value})
        condition |= step
    # The same bound on the first column alone, which an index can start its scan from.
    first, descending = columns[0]
    bound = "lte" if descending == forwards else "gte"
    return Q(**{f"{first}__{bound}": values[0]}) & condition


@dataclass
class KeysetPage:
    """One page of a list, with the cursors of the pages before and after it."""

    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    counted: int | None = field(default=None)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    @property
    def count(self) -> int | None:
        """How many rows the list holds, or None when more than ``COUNT_LIMIT``."""
        return self.counted

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT


def count_up_to(queryset: QuerySet, limit: int | None = None) -> int | None:
    """The number of rows of ``queryset``, or None when there are more than ``limit``
    (default ``COUNT_LIMIT``)."""
    limit = COUNT_LIMIT if limit is None else limit
    counted = queryset.order_by()[: limit + 1].count()
    return None if counted > limit else counted


def keyset_page(
    queryset: QuerySet,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
    count: bool = False,
) -> KeysetPage:
    """The page of ``queryset`` (in its own order) after the cursor ``after`` or before
    ``before``; the first page when neither is given or valid.

    With ``count``, the rows of the whole list are counted up to ``COUNT_LIMIT``.
    """
    columns = _order_of(queryset)
    ordering = [f"-{path}" if descending else path for path, descending in columns]
    reverse = [path if descending else f"-{path}" for path, descending in columns]
    position, forwards = None, True
    if after:
        position = _decode(after, queryset.model, columns)
    elif before:
        position, forwards = _decode(before, queryset.model, columns), False
    ordered = queryset.order_by(*(ordering if forwards else reverse))
    if position is not None:
        ordered = ordered.filter(_beyond(columns, position, forwards=forwards))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forwards:
        rows.reverse()

    def cursor(row: Model) -> str:
        return _encode([_value(row, path) for path, _descending in columns])

    page = KeysetPage(rows)
    if rows:
        if forwards:
            page.next_cursor = cursor(rows[-1]) if more else None
            page.previous_cursor = cursor(rows[0]) if position is not None else None
        else:
            page.previous_cursor = cursor(rows[0]) if more else None
            page.next_cursor = cursor(rows[-1])
    elif position is not None:
        # Past either end (the rows moved on since the link was made): start again.
        return keyset_page(queryset, size=size, count=count)
    if count:
        page.counted = count_up_to(queryset)
    return page
