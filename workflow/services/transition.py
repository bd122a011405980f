"""The one shape of every write: lock → revision check → table → authorise → write → one event →
notifications on commit.

A service opens :func:`case_transition`, does its own writes on the locked case inside the block
and leaves the rest to it: the status change the transition table names, saving only the fields
that changed, one ``CaseEvent``, and the revision one further so forms filled in on the old
state are refused. Notifications are queued inside the block; they leave after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Q
from django.db.models.sql import InsertQuery, UpdateQuery
from django.utils.translation import gettext as _

from catalog.models import ItemVersion

from .. import numbering, permissions
from ..clock import Clock
from ..exceptions import InvalidInput, StaleCase
from ..models import Case, CaseEvent, Extension, Notice, Notification, StepRun
from ..notifications import deliver_later, notify_applicant, notify_role, queue
from ..transitions import TRANSITIONS, Action

# What a case lock reads along with the row: its department (whose center decides center-wide
# roles) and the applicant's account (where messages go). The item version comes from
# item_version(): a published version never changes, so it is read once per process.
_LOCK_RELATED = ("department", "applicant")

_versions: dict[int, ItemVersion] = {}
_VERSIONS_KEPT = 10_000


def item_version(pk: int) -> ItemVersion:
    """The item version ``pk`` with its item, read once per process.

    A published version and its parts never change (``catalog.models.items``), and cases are
    created only from published ones, so what a case was applied for can be kept.
    """
    version = _versions.get(pk)
    if version is None:
        version = ItemVersion.objects.select_related("item").get(pk=pk)
        if len(_versions) >= _VERSIONS_KEPT:
            _versions.clear()
        _versions[pk] = version
    return version


def forget_item_versions() -> None:
    """Drop the kept versions (tests, whose rolled-back rows may reuse ids)."""
    _versions.clear()


def lock_case(pk: int) -> Case:
    """The case row, locked until the transaction ends."""
    case = Case.objects.select_for_update(of=("self",)).select_related(*_LOCK_RELATED).get(pk=pk)
    case.item_version = item_version(case.item_version_id)
    case._loaded_values = _values(case)  # type: ignore[attr-defined]
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
    followups: list[Callable[[], object]] = field(default_factory=list)

    @property
    def actor(self) -> Any:
        return self.by if getattr(self.by, "is_authenticated", False) else None

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
        """Issue a written notice to the applicant, numbered, its content frozen."""
        return issue_notice(self.case, kind, by=self.by, clock=self.clock, content=content)

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
    """Save the case one revision further, append its event and write its outbox.

    On PostgreSQL the three writes go as one statement (data-modifying ``WITH``): the same
    rows, one round trip. Elsewhere they are three.
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
        save_changed(case)
        event.save()
        queue(run.outbox)
        return event
    attnames = {f.name: f.attname for f in case._meta.concrete_fields}
    update = UpdateQuery(Case)
    # By column (department_id, not department): no related row is read to write its id.
    update.add_update_values(
        {attnames[name]: getattr(case, attnames[name]) for name in _changed_fields(case)}
    )
    update.add_q(Q(pk=case.pk))
    parts: list[str] = []
    params: list[Any] = []
    update_sql, update_params = update.get_compiler(connection=connection).as_sql()
    parts.append(f"u AS ({update_sql} RETURNING 1)")
    params.extend(update_params)
    for name, rows in (("e", [event]), ("n", run.outbox)):
        if not rows:
            continue
        model = type(rows[0])
        insert = InsertQuery(model)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        insert.insert_values(fields, list[Any](rows))
        compiler = insert.get_compiler(connection=connection)
        ((insert_sql, insert_params),) = compiler.as_sql()
        quoted_pk = connection.ops.quote_name(model._meta.pk.column)
        parts.append(f"{name} AS ({insert_sql} RETURNING {quoted_pk})")
        params.extend(insert_params)
    outbox = "ARRAY(SELECT id FROM n)" if run.outbox else "ARRAY[]::integer[]"
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT (SELECT id FROM e), {outbox}", params)
        event_id, notification_ids = cursor.fetchone()
    event.pk = event_id
    event._state.adding = False
    case._loaded_values = _values(case)  # type: ignore[attr-defined]
    for notification, pk in zip(run.outbox, notification_ids, strict=True):
        notification.pk = pk
        notification._state.adding = False
    if notification_ids:
        transaction.on_commit(lambda: deliver_later(list(notification_ids)))
    return event


def issue_notice(case: Case, kind: str, *, by: Any, clock: Clock, content: dict) -> Notice:
    """A numbered written notice for the applicant; its content is frozen when issued."""
    base = {
        "department": case.department.name,
        "item": case.item_version.name,
        "item_code": case.item_version.item.code,
        "applicant": case.applicant_name,
        "case_number": case.number or "",
        "date": clock.today.isoformat(),
    }
    return Notice.objects.create(
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
