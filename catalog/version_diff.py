"""What publishing a draft would change: the draft against the item's current version.

Pure: it reads the versions, steps, materials and fees it is given (departments and categories
loaded with them) and asks the database nothing, so the administrator's confirmation page and
its tests see the same rows. ``catalog.selectors.version_content`` loads what it needs.

Parts are matched by what identifies them to an administrator: a step by its place in the
procedure, a material and a fee by name. A renamed material therefore reads as one removed and
one added, which is how an applicant would see it too.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import FeeItem, ItemVersion, Material, StepTemplate

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# The guide as the administrator reads it: time limits first, since they drive every clock.
GUIDE_ORDER = (
    "statutory_limit",
    "promised_limit",
    "extension_allowed",
    "suspension_allowed",
    "visits_required",
    "name",
    "department",
    "category",
    "processing_type",
    "applicant_type",
    "legal_basis",
    "conditions",
    "result_type",
    "must_enter_center",
    "entered_center",
    "window_authorization",
    "online_prereview",
    "window_location",
    "phone",
)
STEP_FIELDS = ("name", "role", "limit_days")
MATERIAL_FIELDS = (
    "order",
    "required",
    "deferrable",
    "originals",
    "copies",
    "template_file",
    "sample_file",
    "notes",
)
FEE_FIELDS = ("amount", "rule", "legal_basis")
EMPTY = "—"


@dataclass(frozen=True)
class DiffRow:
    """One difference: ``subject`` is the guide field or the part, ``field`` what of the part
    changed ("" for a guide field and for a whole part added or removed)."""

    kind: str
    subject: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class DiffSection:
    title: str
    rows: tuple[DiffRow, ...]


@dataclass(frozen=True)
class VersionContent:
    """A version with its parts, in their order."""

    version: ItemVersion
    steps: Sequence[StepTemplate]
    materials: Sequence[Material]
    fees: Sequence[FeeItem]


def version_diff(*, current: VersionContent | None, draft: VersionContent) -> list[DiffSection]:
    """The sections (guide, steps, materials, fees) in which ``draft`` differs from ``current``.

    ``current`` is ``None`` for an item never published: everything in the draft is added.
    Sections without a difference are left out, so an empty list means nothing changes.
    """
    sections = [
        DiffSection(_("Item guide"), tuple(_guide_rows(current, draft))),
        DiffSection(
            capfirst(StepTemplate._meta.verbose_name_plural),
            tuple(
                _part_rows(
                    _keyed(current.steps if current else [], key=lambda step: step.order),
                    _keyed(draft.steps, key=lambda step: step.order),
                    STEP_FIELDS,
                    _step_subject,
                )
            ),
        ),
        DiffSection(
            capfirst(Material._meta.verbose_name_plural),
            tuple(
                _part_rows(
                    _keyed(current.materials if current else [], key=_name),
                    _keyed(draft.materials, key=_name),
                    MATERIAL_FIELDS,
                    _named_subject(_("Material “%(name)s”")),
                )
            ),
        ),
        DiffSection(
            capfirst(FeeItem._meta.verbose_name_plural),
            tuple(
                _part_rows(
                    _keyed(current.fees if current else [], key=_name),
                    _keyed(draft.fees, key=_name),
                    FEE_FIELDS,
                    _named_subject(_("Fee “%(name)s”")),
                )
            ),
        ),
    ]
    return [section for section in sections if section.rows]


def diff_fingerprint(sections: Sequence[DiffSection]) -> str:
    """A short digest of ``sections``: the confirmation carries it, so that publishing after
    the draft or the current version changed asks again instead of publishing unseen changes."""
    return hashlib.sha256(repr(list(sections)).encode()).hexdigest()[:32]


def display_value(instance: models.Model, name: str) -> str:
    """The value of field ``name`` as the admin shows it: choice labels, names, yes / no."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if isinstance(value, FieldFile):
        return PurePosixPath(value.name).name if value else EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _guide_rows(current: VersionContent | None, draft: VersionContent):
    for name in GUIDE_ORDER:
        new = display_value(draft.version, name)
        label = _label(ItemVersion, name)
        if current is None:
            if new != EMPTY:
                yield DiffRow(ADDED, label, "", "", new)
            continue
        old = display_value(current.version, name)
        if old != new:
            yield DiffRow(CHANGED, label, "", old, new)


def _name(part) -> str:
    return " ".join(part.name.split())


def _keyed(parts, *, key) -> dict:
    """``parts`` by key; a second part of the same key is keyed apart, so none is lost."""
    keyed: dict = {}
    for part in parts:
        base = key(part)
        occurrence = 0
        while (base, occurrence) in keyed:
            occurrence += 1
        keyed[(base, occurrence)] = part
    return keyed


def _step_subject(step: StepTemplate) -> str:
    return _("Step %(order)s “%(name)s”") % {"order": step.order, "name": step.name}


def _named_subject(template: str):
    return lambda part: template % {"name": part.name}


def _summary(part, fields) -> str:
    shown = []
    for name in fields:
        value = display_value(part, name)
        if value != EMPTY:
            shown.append(f"{_label(type(part), name)}: {value}")
    return "; ".join(shown)


def _part_rows(old_parts: dict, new_parts: dict, fields, subject):
    # Draft order first, then what the draft dropped, so rows read like the draft's list.
    for key, new in new_parts.items():
        old = old_parts.get(key)
        if old is None:
            yield DiffRow(ADDED, subject(new), "", "", _summary(new, fields))
            continue
        for name in fields:
            before, after = display_value(old, name), display_value(new, name)
            if before != after:
                yield DiffRow(CHANGED, subject(new), _label(type(new), name), before, after)
    for key, old in old_parts.items():
        if key not in new_parts:
            yield DiffRow(REMOVED, subject(old), "", _summary(old, fields), "")
