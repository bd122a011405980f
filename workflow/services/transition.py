"""The one shape of every write: lock → revision check → table → authorise → write → one event →
notifications on commit.

A service opens :func:`case_transition`, changes the locked case inside the block and leaves the
rest to it: the status change the transition table names, saving only the fields that changed,
one ``CaseEvent``, and the revision one further so forms filled in on the old state are refused.
The rows the service changes or adds along with the case (``run.save``, ``run.add``, notices,
notifications) are written with it at the end of the block; on PostgreSQL the case, those rows,
the event and the outbox go as one statement. Notifications leave after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .. import numbering, permissions
from ..clock import Clock
from ..exceptions import InvalidInput, StaleCase
from ..models import Case, CaseEvent, Extension, Notice, Notification, StepRun
from ..notifications import deliver_later, notify_applicant, notify_role, queue
from ..prepared import Prepared, execute
from ..transitions import TRANSITIONS, Action
from ..versions import item_version
from .notices import notice_pdfs_at_issue, notice_pdfs_store_later

# What a case lock reads along with the row: its department and center (center-wide roles, case
# and notice numbers) and the applicant's account (where messages go). The item version comes from
# item_version(): a published version never changes, so it is read once per process.
_LOCK_RELATED = ("department__center", "applicant")


def _locked_case(case: int) -> QuerySet[Case]:
    return (
        Case.objects.select_for_update(of=("self",)).select_related(*_LOCK_RELATED).filter(pk=case)
    )


CASE_LOCK = Prepared(_locked_case, case=int)


def lock_case(pk: int) -> Case:
    """The case row, locked until the transaction ends."""
    found = CASE_LOCK.run(case=pk)
    if not found:
        raise Case.DoesNotExist("Case matching query does not exist.")
    (case,) = found
    case.item_version = item_version(case.item_version_id)
    case._loaded_values = _values(case)
    return case


def _values(case: Case) -> dict[str, Any]:
    return {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields}


def _changed_fields(case: Case) -> list[str]:
    """The names of the fields that differ from the locked row (all when it was not locked)."""
    loaded = getattr(case, "_loaded_values", None)
    fields = [f for f in case._meta.concrete_fields if not f.primary_key]
    if loaded is None:
        return [f.name for f in fields]
    return [f.name for f in fields if loaded.get(f.attname) != getattr(case, f.attname)]


def save_changed(case: Case) -> None:
    """Write only the fields that differ from the locked row."""
    changed = _changed_fields(case)
    if changed:
        case.save(update_fields=changed)
        case._loaded_values = _values(case)  # type: ignore[attr-defined]


@dataclass
class Transition:
    """One action under way on a locked case; the service fills in what the event records."""

    action: Action | str
    case: Case
    by: Any
    clock: Clock
    situation: permissions.Situation
    capacity: permissions.Capacity
    from_status: str
    step: StepRun | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    event: CaseEvent | None = None
    outbox: list[Notification] = field(default_factory=list)
    writes: list[tuple[Model, tuple[str, ...]]] = field(default_factory=list)
    inserts: list[Model] = field(default_factory=list)
    followups: list[Callable[[], object]] = field(default_factory=list)

    @property
    def actor(self) -> Any:
        return self.by if getattr(self.by, "is_authenticated", False) else None

    def save(self, row: Model, *fields: str) -> None:
        """Write ``fields`` of ``row`` (a step, a round of materials) with the case and its
        event: on PostgreSQL in the same statement."""
        self.writes.append((row, fields))

    def add(self, row: Model) -> None:
        """Insert ``row`` (a fee record, a step) with the case and its event: on PostgreSQL in
        the same statement. Its id is known once the block ends."""
        self.inserts.append(row)

    def then(self, followup: Callable[[], object]) -> None:
        """Run ``followup`` in the same transaction once the case and its event are written
        (a joint case reads its sub-cases' new status)."""
        self.followups.append(followup)

    def tell_applicant(self, template: str, **payload: Any) -> None:
        """Tell the applicant (SMS, and e-mail when the account has one) after commit."""
        notify_applicant(
            case=self.case, template=template, payload=self.payload(**payload), outbox=self.outbox
        )

    def tell_role(self, role: str, template: str, **payload: Any) -> None:
        """E-mail the holders of ``role`` in the case's department after commit."""
        notify_role(
            case=self.case,
            department=self.case.department,
            role=role,
            template=template,
            payload=self.payload(**payload),
            outbox=self.outbox,
        )

    def notice(self, kind: str, content: dict[str, Any]) -> Notice:
        """Issue a written notice to the applicant, numbered, its content frozen; it is
        written with the case (its id is known once the block ends); its PDF is rendered and
        stored after commit."""
        notice = new_notice(self.case, kind, by=self.by, clock=self.clock, content=content)
        self.add(notice)
        if notice_pdfs_at_issue():
            # Its PDF is stored once it is issued: a worker renders it after commit.
            self.then(lambda: transaction.on_commit(lambda: notice_pdfs_store_later([notice.pk])))
        return notice

    def payload(self, **extra: Any) -> dict[str, Any]:
        """What every message about the case names, plus ``extra``."""
        return payload(self.case, **extra)


@contextmanager
def case_transition(
    action: Action | str,
    *,
    case: Case | int,
    by: Any,
    now: datetime | None = None,
    expected_revision: int | None = None,
    step: StepRun | None = None,
    extension: Extension | None = None,
    clock: Clock | None = None,
) -> Iterator[Transition]:
    """Run one action on ``case`` as ``by``; see the module docstring.

    ``step`` and ``extension`` are what a step or extension action acts on; they are locked
    too, and must be the case's own. ``case`` may be given by its id.
    """
    clock = clock or Clock.read(now)
    with transaction.atomic():
        locked = lock_case(case if isinstance(case, int) else case.pk)
        if expected_revision is not None and expected_revision != locked.revision:
            raise StaleCase()
        if extension is not None:
            extension = _lock_own(
                Extension, extension, locked, _("This extension is not one of this case's.")
            )
        situation = permissions.Situation(locked, by, extension=extension)
        if step is not None:
            # The case's lock guards its steps: every write to a step runs under it.
            step = next((s for s in situation.steps if s.pk == step.pk), None)
            if step is None:
                raise InvalidInput(_("This step is not one of this case's steps."))
            situation.target_step = step
        capacity = permissions.require(action, situation)
        run = Transition(
            action=action,
            case=locked,
            by=by,
            clock=clock,
            situation=situation,
            capacity=capacity,
            from_status=locked.status,
            step=step,
        )
        yield run
        table = TRANSITIONS.get(cast(Action, action))
        target = table[1] if table is not None else None
        if target is not None:
            locked.status = target
        run.event = record(run)
        for followup in run.followups:
            followup()


def _lock_own(model: type[StepRun] | type[Extension], row: Any, case: Case, message: str) -> Any:
    locked = model._default_manager.select_for_update().filter(pk=row.pk, case_id=case.pk).first()
    if locked is None:
        raise InvalidInput(message)
    return locked


def record(run: Transition) -> CaseEvent:
    """Save the case one revision further with the rows the service changed, append its event
    and write its outbox.

    On PostgreSQL the writes go as one statement (data-modifying ``WITH``): the same rows, one
    round trip. Elsewhere they are one statement each.
    """
    case = run.case
    case.revision += 1
    event = CaseEvent(
        case=case,
        at=run.clock.now,
        actor=run.actor,
        action=str(run.action),
        from_status=run.from_status,
        to_status=case.status,
        step=run.step,
        reason=run.reason,
        data=run.data,
    )
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        for row, fields in run.writes:
            row.save(update_fields=list(fields))
        for row in run.inserts:
            row.save()
        save_changed(case)
        event.save()
        queue(run.outbox)
        return event
    changed = [case._meta.get_field(name) for name in _changed_fields(case)]
    parts: list[str] = []
    params: list[Any] = []
    update_sql, update_params = sql_update(connection, case, changed)
    parts.append(f"u AS ({update_sql} RETURNING 1)")
    params.extend(update_params)
    for number, (row, names) in enumerate(run.writes):
        columns = [row._meta.get_field(name) for name in names]
        row_sql, row_params = sql_update(connection, row, columns)
        parts.append(f"w{number} AS ({row_sql} RETURNING 1)")
        params.extend(row_params)
    inserted: list[tuple[str, list[Any]]] = [("e", [event]), ("n", list(run.outbox))]
    inserted += [(f"i{number}", [row]) for number, row in enumerate(run.inserts)]
    for name, rows in inserted:
        if rows:
            insert_sql, insert_params = sql_insert(connection, rows)
            parts.append(f"{name} AS ({insert_sql})")
            params.extend(insert_params)
    outbox = "ARRAY(SELECT id FROM n)" if run.outbox else "ARRAY[]::integer[]"
    others = "".join(f", (SELECT id FROM i{n})" for n in range(len(run.inserts)))
    with connection.cursor() as cursor:
        execute(
            cursor, f"WITH {', '.join(parts)} SELECT (SELECT id FROM e), {outbox}{others}", params
        )
        event_id, notification_ids, *other_ids = cursor.fetchone()
    for row, pk in zip([event, *run.inserts], [event_id, *other_ids], strict=True):
        row.pk = pk
        row._state.adding = False
    case._loaded_values = _values(case)  # type: ignore[attr-defined]
    for notification, pk in zip(run.outbox, notification_ids, strict=True):
        notification.pk = pk
        notification._state.adding = False
    if notification_ids:
        transaction.on_commit(lambda: deliver_later(list(notification_ids)))
    return event


def save_now(row: Model, *fields: str) -> None:
    """Write ``fields`` of ``row`` at once, one ``UPDATE`` (a step that must be closed before
    the next one opens: at most one step of a case is open at any time)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        row.save(update_fields=list(fields))
        return
    sql, params = sql_update(connection, row, [row._meta.get_field(name) for name in fields])
    with connection.cursor() as cursor:
        execute(cursor, sql, params)


# The SQL of the transition's writes, by table and columns, built once per process: the values
# are prepared for the database by each field, as the ORM does.
_statements: dict[tuple[Any, ...], str] = {}


def sql_update(connection: Any, row: Model, fields: list[Any]) -> tuple[str, list[Any]]:
    """``UPDATE`` of ``fields`` of ``row`` by its primary key (the changed fields only)."""
    meta = row._meta
    key = ("update", connection.vendor, meta.label, tuple(f.attname for f in fields))
    sql = _statements.get(key)
    quote = connection.ops.quote_name
    if sql is None:
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields) or (
            f"{quote(meta.pk.column)} = {quote(meta.pk.column)}"
        )
        sql = _statements[key] = (
            f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"
        )
    values = [f.get_db_prep_save(f.pre_save(row, False), connection) for f in fields]
    return sql, [*values, row.pk]


def sql_insert(connection: Any, rows: list[Any]) -> tuple[str, list[Any]]:
    """``INSERT`` of ``rows`` (all of one model) returning their primary keys, in order."""
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    key = ("insert", connection.vendor, meta.label, len(rows))
    sql = _statements.get(key)
    if sql is None:
        columns = ", ".join(quote(f.column) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = _statements[key] = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
            + ", ".join([one] * len(rows))
            + f" RETURNING {quote(meta.pk.column)}"
        )
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows for f in fields]
    return sql, params


def new_notice(case: Case, kind: str, *, by: Any, clock: Clock, content: dict) -> Notice:
    """A numbered written notice for the applicant, not saved yet."""
    base = {
        "department": case.department.name,
        "item": case.item_version.name,
        "item_code": case.item_version.item.code,
        "applicant": case.applicant_name,
        "case_number": case.number or "",
        "date": clock.today.isoformat(),
    }
    return Notice(
        case=case,
        kind=kind,
        number=numbering.notice_number(case, kind, clock.today),
        issued_at=clock.now,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        content={**base, **content},
    )


def payload(case: Case, **extra: Any) -> dict[str, Any]:
    """What every message about ``case`` names, plus ``extra``."""
    return {"number": case.number or "", "item": case.item_version.name, **extra}


def required_text(value: str | None, message: str) -> str:
    """``value`` stripped; ``InvalidInput(message)`` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


def iso(day: date | None) -> str | None:
    """A date as the events and notices write it (ISO 8601), or None."""
    return day.isoformat() if day is not None else None


def as_int(value: Any) -> int | None:
    """``value`` as an integer, or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
