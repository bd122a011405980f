"""The one write path for approval items and their versions.

An item has versions numbered 1, 2, 3…; at most one is the draft being edited and at most one is
published (current). Publishing a draft supersedes the current version; a published or
superseded version never changes again (the models refuse it, see ``VersionFrozen``), because
each case keeps the exact version it was accepted under.

Lock order, everywhere: the item row first, then its version rows. Two administrators publishing
or opening a draft of the same item at once are thus served one after the other.
"""

import logging
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import (
    ApprovalItem,
    FeeItem,
    ItemVersion,
    Material,
    ProcessingType,
    StepTemplate,
    VersionStatus,
)
from .models.items import VersionFrozen
from .search_terms import GUIDES_VERSION_KEY, name_pinyin

logger = logging.getLogger(__name__)

# Set by the services themselves, never by the caller.
_LIFECYCLE_FIELDS = frozenset(
    {
        "id",
        "item",
        "number",
        "status",
        "created_at",
        "published_at",
        "published_by",
        "search_pinyin",
    }
)
# The item guide: everything a new draft takes over from the version it starts from.
GUIDE_FIELDS = tuple(
    f.name for f in ItemVersion._meta.concrete_fields if f.name not in _LIFECYCLE_FIELDS
)
_PARTS = ((StepTemplate, "steps"), (Material, "materials"), (FeeItem, "fees"))


def item_create(*, code: str, by: AbstractBaseUser | None, **fields) -> ItemVersion:
    """Create the approval item ``code`` and its draft version 1 from the guide ``fields``.

    Raises ``ValidationError`` for a malformed or taken code and for invalid fields; nothing is
    written then.
    """
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise TypeError(f"item_create() does not take {', '.join(sorted(unknown))}")
    item = ApprovalItem(code=code)
    version = ItemVersion(item=item, number=1, status=VersionStatus.DRAFT, **fields)
    errors: dict[str, list[str]] = {}
    for instance, exclude in ((item, None), (version, ["item"])):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            # A savepoint, so that a code taken in the meantime leaves a usable transaction.
            with transaction.atomic():
                item.save()
        except IntegrityError as error:
            raise ValidationError(
                {"code": _("An item with the code %(code)s already exists.") % {"code": code}}
            ) from error
        version.item = item
        version.save()
    logger.info("item %s created by %s", code, by)
    return version


def item_version_draft(*, item: ApprovalItem, by: AbstractBaseUser | None) -> ItemVersion:
    """The item's draft, made now if there is none: a copy of the current version.

    The copy takes the guide fields and every step, material (file references included: the
    files are shared, never rewritten) and fee, numbered one above the highest version.
    """
    with transaction.atomic():
        # The item's lock serialises everyone making a draft or publishing for this item.
        item = ApprovalItem.objects.select_for_update().get(pk=item.pk)
        versions = ItemVersion.objects.filter(item=item)
        draft = versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            return draft
        source = (
            versions.filter(status=VersionStatus.PUBLISHED).first()
            or versions.order_by("-number").first()
        )
        if source is None:
            raise ValidationError(
                _("Item %(code)s has no version to start a draft from.") % {"code": item.code}
            )
        highest = versions.aggregate(highest=models.Max("number"))["highest"]
        draft = ItemVersion(
            item=item,
            number=highest + 1,
            status=VersionStatus.DRAFT,
            **{name: getattr(source, name) for name in GUIDE_FIELDS},
        )
        draft.save()
        for model, related_name in _PARTS:
            copied = [
                field.attname
                for field in model._meta.concrete_fields
                if not field.primary_key and field.name != "version"
            ]
            for part in getattr(source, related_name).order_by("pk"):
                # FieldFile values are copied as names: the draft points at the same stored file.
                model(version=draft, **{name: getattr(part, name) for name in copied}).save()
    logger.info("draft %s of item %s made by %s", draft.number, item.code, by)
    return draft


def item_version_update(
    *, version: ItemVersion, by: AbstractBaseUser | None, **fields
) -> ItemVersion:
    """Change guide ``fields`` of a draft. Only drafts can be edited.

    Raises ``VersionFrozen`` for a version that is no longer a draft and ``ValidationError``
    for invalid values; nothing is written then.
    """
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise TypeError(f"item_version_update() does not take {', '.join(sorted(unknown))}")
    with transaction.atomic():
        ApprovalItem.objects.select_for_update().filter(pk=version.item_id).first()
        locked = ItemVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_editable:
            raise VersionFrozen(
                _("Version %(number)s of item %(code)s is no longer a draft; make a new draft.")
                % {"number": locked.number, "code": locked.item.code},
                code="version_frozen",
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    logger.info("draft %s of item %s edited by %s", locked.number, locked.item.code, by)
    return locked


def item_version_publish(
    *, version: ItemVersion, by: AbstractBaseUser | None, now: datetime | None = None
) -> ItemVersion:
    """Publish the draft ``version``: it becomes current, the previous current one superseded.

    Every problem ``version_problems`` finds blocks publishing and is raised together in one
    ``ValidationError``; so is an attempt to publish a version that is not a draft. Nothing is
    written then. ``version`` itself is refreshed from the database.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ApprovalItem.objects.select_for_update().filter(pk=version.item_id).first()
        locked = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise ValidationError(
                _(
                    "Version %(number)s of item %(code)s is %(status)s; "
                    "only a draft can be published."
                )
                % {
                    "number": locked.number,
                    "code": locked.item.code,
                    "status": locked.get_status_display(),
                },
                code="not_a_draft",
            )
        problems = version_problems(locked)
        if problems:
            raise ValidationError(problems, code="cannot_publish")
        previous = (
            ItemVersion.objects.select_for_update()
            .filter(item_id=locked.item_id, status=VersionStatus.PUBLISHED)
            .first()
        )
        if previous is not None:
            # First, so that the item never has two current versions (itemversion_one_current).
            previous.status = VersionStatus.SUPERSEDED
            previous.save(update_fields=["status"])
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = now
        locked.published_by = by
        locked.search_pinyin = name_pinyin(locked.name)
        locked.save(update_fields=["status", "published_at", "published_by", "search_pinyin"])
        transaction.on_commit(guides_changed)
    logger.info("version %s of item %s published by %s", locked.number, locked.item.code, by)
    if version is not locked:
        version.refresh_from_db()
    return locked


def guides_version() -> object:
    """The value the hall's cached guide pages are keyed by; a publication changes it.

    ``None`` when the shared cache holds none (cleared, or unreadable): the pages are then
    rendered afresh until the next publication sets one.
    """
    try:
        return cache.get(GUIDES_VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not stop the hall
        logger.warning("the guides version could not be read from the cache", exc_info=True)
        return None


def guides_changed() -> None:
    """Tell every process that the published catalog changed, so cached guides are redrawn."""
    try:
        cache.set(GUIDES_VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001
        # The caches' own timeout then bounds how long an old guide is shown.
        logger.warning("the guides version could not be set in the cache", exc_info=True)


def steps_over_limit_message(*, total: int, promised: int) -> str:
    """The message for steps whose limits add up to more than the promised limit."""
    return _(
        "The steps take %(total)s working days in all, more than the promised limit of "
        "%(promised)s."
    ) % {"total": total, "promised": promised}


def version_problems(version: ItemVersion) -> list[str]:
    """Everything that keeps ``version`` from being published, one message per problem.

    Empty when the version may be published. The messages are in the active language and say
    which field, step, material or fee is wrong.
    """
    problems = _error_messages(version)
    steps = list(version.steps.order_by("order", "pk"))
    materials = list(version.materials.order_by("order", "pk"))
    fees = list(version.fees.order_by("pk"))

    if version.processing_type != ProcessingType.IMMEDIATE and not steps:
        problems.append(
            _("A %(type)s item needs at least one step in its procedure.")
            % {"type": version.get_processing_type_display()}
        )
    orders = [step.order for step in steps]
    if orders != list(range(1, len(steps) + 1)):
        problems.append(
            _("Number the steps 1 to %(count)s without gaps; they are numbered %(orders)s.")
            % {"count": len(steps), "orders": ", ".join(str(order) for order in orders)}
        )
    total = sum(step.limit_days for step in steps)
    if version.promised_limit is not None and total > version.promised_limit:
        problems.append(steps_over_limit_message(total=total, promised=version.promised_limit))
    for step in steps:
        for message in _error_messages(step, exclude=["version"]):
            problems.append(
                _("Step %(order)s “%(name)s”: %(message)s")
                % {"order": step.order, "name": step.name, "message": message}
            )

    if not materials:
        problems.append(_("List at least one material the applicant must bring."))
    for number, material in enumerate(materials, start=1):
        for message in _error_messages(material, exclude=["version"]):
            problems.append(
                _("Material %(number)s “%(name)s”: %(message)s")
                % {"number": number, "name": material.name, "message": message}
            )
    for fee in fees:
        for message in _error_messages(fee, exclude=["version"]):
            problems.append(
                _("Fee “%(name)s”: %(message)s") % {"name": fee.name, "message": message}
            )
    return list(dict.fromkeys(problems))


def _error_messages(instance: models.Model, exclude: list[str] | None = None) -> list[str]:
    """``instance.full_clean()``'s messages, each led by the name of the field it is about."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = []
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                if field == NON_FIELD_ERRORS:
                    messages.append(message)
                else:
                    label = capfirst(instance._meta.get_field(field).verbose_name)
                    messages.append(f"{label}: {message}")
        return messages
    return []


__all__ = [
    "GUIDE_FIELDS",
    "VersionFrozen",
    "guides_changed",
    "guides_version",
    "item_create",
    "item_version_draft",
    "item_version_publish",
    "item_version_update",
    "steps_over_limit_message",
    "version_problems",
]
