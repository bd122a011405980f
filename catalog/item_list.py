"""The item list (事项清单) as a spreadsheet, exported from and imported into the catalog.

One row per item: its code and its item guide (the version fields of ``GUIDE_FIELDS``) as an
administrator reads them: choice labels, department codes, category names, yes / no. Steps,
materials and fees are not in the list; they are edited on the version's page.

A row stands for the item's *working version*: its draft if one is open, else its current
version. Export writes that version; import compares each row with it:

- a row that says what the working version says changes nothing (no draft is made);
- a row that differs from a current version opens a draft (``item_version_draft``, which copies
  the steps, materials and fees) and writes the row into it (``item_version_update``);
- a row that differs from a draft writes into that draft;
- a row with a new code creates the item with its draft version 1 (``item_create``).

So an import never changes a published version, nor a case in flight: the administrator
publishes each draft afterwards, through the confirmation that shows what changes.
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff

from .models import ApprovalItem, Department, ItemCategory, ItemVersion, VersionStatus
from .versions import GUIDE_FIELDS, item_create, item_version_draft, item_version_update

CODE = "code"


def working_versions(items: QuerySet[ApprovalItem] | None = None) -> QuerySet[ItemVersion]:
    """Each item's draft, or its current version when no draft is open, by item code."""
    open_draft = ItemVersion.objects.filter(item=OuterRef("item"), status=VersionStatus.DRAFT)
    versions = ItemVersion.objects.alias(has_draft=Exists(open_draft)).filter(
        Q(status=VersionStatus.DRAFT) | Q(status=VersionStatus.PUBLISHED, has_draft=False)
    )
    if items is not None:
        versions = versions.filter(item__in=items)
    return versions.select_related("item", "department", "category").order_by("item__code")


def _both_languages(message_in_active_language, english_of):
    """The words a cell may say: as the active language writes them, and in English."""
    with translation.override("en"):
        english = english_of()
    return {str(message_in_active_language).casefold(), str(english).casefold()}


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            # A phone number typed into Excel arrives as a float.
            value = int(value)
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class WholeNumberWidget(widgets.Widget):
    """Working days and counts. Excel hands numbers over as floats, or as text when typed so."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number, such as 15."))
        if isinstance(value, int):
            return value
        if isinstance(value, float | Decimal) and value == int(value):
            return int(value)
        text = str(value).strip()
        if text.lstrip("-").isdigit():
            return int(text)
        raise ValueError(
            _("“%(value)s” is not a whole number; enter one, such as 15.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    TRUE = {"yes", "y", "true", "1", "是", "√"}
    FALSE = {"no", "n", "false", "0", "否", "×"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().casefold()
        if not text:
            return None
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if text in self.TRUE | _both_languages(_("yes"), lambda: _("yes")):
            return True
        if text in self.FALSE | _both_languages(_("no"), lambda: _("no")):
            return False
        raise ValueError(_("Write yes or no."))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("yes") if value else _("no")


class ChoiceWidget(widgets.Widget):
    """A choice by its label (as shown in the admin, or in English) or by its stored value."""

    def __init__(self, choices):
        super().__init__()
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        wanted = text.casefold()
        for stored, label in self.choices:
            words = {stored.casefold()} | _both_languages(label, lambda label=label: str(label))
            if wanted in words:
                return stored
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(str(label) for _s, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(dict(self.choices).get(value, value))


class DepartmentWidget(widgets.Widget):
    """A department by its code: names repeat across centers, codes do not."""

    def clean(self, value, row=None, **kwargs):
        code = "" if value is None else str(value).strip()
        if not code:
            return None
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise ValueError(_("There is no department with the code “%(code)s”.") % {"code": code})
        return department

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class CategoryWidget(widgets.Widget):
    """A category by its name (as exported) or its code."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        category = ItemCategory.objects.filter(Q(name=text) | Q(code=text.upper())).first()
        if category is None:
            raise ValueError(_("There is no item category “%(name)s”.") % {"name": text})
        return category

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _widget_for(name: str) -> widgets.Widget:
    field = ItemVersion._meta.get_field(name)
    if name == "department":
        return DepartmentWidget()
    if name == "category":
        return CategoryWidget()
    if field.choices:
        return ChoiceWidget(field.choices)
    if field.get_internal_type() == "BooleanField":
        return YesNoWidget()
    if field.get_internal_type() in ("PositiveSmallIntegerField", "PositiveIntegerField"):
        return WholeNumberWidget()
    return TextWidget()


def _default(name: str):
    field = ItemVersion._meta.get_field(name)
    if field.has_default():
        return field.get_default()
    return "" if field.get_internal_type() in ("CharField", "TextField") else None


def _column(name: str) -> str:
    return str(capfirst(ItemVersion._meta.get_field(name).verbose_name))


class SheetDiff(Diff):
    """The changes of a row as (column, before, after), in plain text.

    Not diff-match-patch's HTML, whose inline styles the site's Content-Security-Policy blocks.
    """

    def __init__(self, resource, instance, new):
        self.resource = resource
        super().__init__(resource, instance, new)

    def as_html(self):
        changes = []
        for field, before, after in zip(
            self.resource.get_import_fields(), self.left, self.right, strict=False
        ):
            before, after = str(before or ""), str(after or "")
            if before != after or (self.new and after):
                changes.append((field.column_name, "" if self.new else before, after))
        return changes

    @classmethod
    def _read_field_values(cls, resource, instance):
        return [resource.export_field(field, instance) for field in resource.get_import_fields()]


class ItemListResource(resources.Resource):
    """The item list: one row per item, its code and the guide of its working version."""

    class Meta:
        model = ItemVersion
        # get_instance() finds the working version itself; the loader is never asked.
        instance_loader_class = BaseInstanceLoader
        import_id_fields = [CODE]
        skip_unchanged = True
        report_skipped = False
        use_transactions = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Column headings are read in the language of the request: built here, not at import.
        self.fields = {
            CODE: fields.Field(
                attribute=None,
                column_name=str(capfirst(ApprovalItem._meta.get_field("code").verbose_name)),
                widget=TextWidget(),
            ),
            **{
                name: fields.Field(
                    attribute=name,
                    column_name=_column(name),
                    widget=_widget_for(name),
                    # An empty cell takes the field's default (window authorisation: partial,
                    # …); one without a default is then refused by the model's checks.
                    default=_default(name),
                )
                for name in GUIDE_FIELDS
            },
            "working_version": fields.Field(
                attribute=None, column_name=_("Version in this row"), readonly=True
            ),
        }
        self._codes_seen: dict[str, int] = {}

    @classmethod
    def get_display_name(cls):
        return _("Item list")

    def get_diff_class(self):
        return SheetDiff

    def get_import_fields(self):
        return [field for name, field in self.fields.items() if name != "working_version"]

    def get_export_fields(self, selected_fields=None):
        return list(self.fields.values())

    def get_export_order(self):
        return tuple(self.fields)

    def get_import_order(self):
        return tuple(name for name in self.fields if name != "working_version")

    @property
    def code_column(self) -> str:
        return self.fields[CODE].column_name

    # -- export ----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        # The admin hands over the items of its list (search and filters applied).
        if queryset.model is ApprovalItem:
            return working_versions(queryset)
        return queryset

    def dehydrate_code(self, version: ItemVersion) -> str:
        if version.item_id:
            return version.item.code
        return getattr(version, "_sheet_code", "")

    def dehydrate_working_version(self, version: ItemVersion) -> str:
        if version.pk is None:
            return ""
        return _("Version %(number)s (%(status)s)") % {
            "number": version.number,
            "status": version.get_status_display(),
        }

    # -- import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Accept headings written as the field names too, and refuse a sheet without codes."""
        aliases = {CODE: self.code_column} | {
            name: field.column_name for name, field in self.fields.items()
        }
        dataset.headers = [
            aliases.get(str(header).strip(), str(header).strip()) if header is not None else ""
            for header in dataset.headers or []
        ]
        if self.code_column not in dataset.headers:
            # A ValueError: the admin shows its message above the preview.
            raise ValueError(
                _(
                    "The sheet has no “%(column)s” column: export the item list for a sheet to start from."
                )
                % {"column": self.code_column}
            )

    def import_row(self, row, instance_loader, **kwargs):
        if all(value is None or str(value).strip() == "" for value in row.values()):
            # A blank line, as Excel leaves them at the end of a sheet.
            result = self.get_row_result_class()()
            result.import_type = result.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        code = TextWidget().clean(row.get(self.code_column)).upper()
        row[self.code_column] = code
        if not code:
            raise ValidationError({self.code_column: _("Give the item code.")})
        number = kwargs.get("row_number")
        first = self._codes_seen.setdefault(code, number)
        if first != number:
            raise ValidationError(
                {
                    self.code_column: _(
                        "Item %(code)s is already in row %(row)s of this sheet; each item "
                        "goes in one row."
                    )
                    % {"code": code, "row": sheet_row(first)}
                }
            )

    def get_instance(self, instance_loader, row):
        return working_versions().filter(item__code=row[self.code_column]).first()

    def init_instance(self, row=None):
        version = ItemVersion(number=1, status=VersionStatus.DRAFT)
        version._sheet_code = row[self.code_column]
        return version

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._sheet_category_id = None if new else instance.category_id

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A new item is never "unchanged", even a row that gives nothing but its code: the
        # checks then say what it lacks.
        if original is not None and original.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_import_row(self, row, row_result, **kwargs):
        row_result.sheet_code = row.get(self.code_column, "")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Uniqueness and the database's constraints are the services' to check; the model's
            # own checks (promised within statutory, …) give the messages an administrator reads.
            instance.full_clean(
                exclude=[*errors, "item", "number", "status"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        category = instance.category if instance.category_id else None
        if category and category.is_legacy and instance.category_id != instance._sheet_category_id:
            errors.setdefault("category", []).append(
                _("“%(name)s” is a legacy category, kept for old items only.") % {"name": category}
            )
        if errors:
            raise self._by_column(ValidationError(errors))

    def save_instance(self, instance, is_create, row, **kwargs):
        """Write the row through the catalog's services, into a draft; see the module's doc."""
        by = kwargs.get("user")
        values = {
            field.attribute: getattr(instance, field.attribute)
            for field in self.get_import_fields()
            if field.attribute in GUIDE_FIELDS and field.column_name in row
        }
        try:
            if is_create:
                written = item_create(code=instance._sheet_code, by=by, **values)
            else:
                draft = instance
                if instance.status != VersionStatus.DRAFT:
                    draft = item_version_draft(item=instance.item, by=by)
                written = item_version_update(version=draft, by=by, **values)
        except ValidationError as error:
            raise self._by_column(error) from error
        # The row now stands for the draft written (the admin's log and the preview read it).
        for name in ("pk", "item", "number", "status", "created_at", "published_at"):
            setattr(instance, name, getattr(written, name))
        instance.published_by_id = written.published_by_id
        instance._state.adding = False
        instance._state.db = written._state.db

    def _by_column(self, error: ValidationError) -> ValidationError:
        """``error`` keyed by the sheet's column headings, so the preview names the cell."""
        if not hasattr(error, "error_dict"):
            return error
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        columns[CODE] = self.code_column
        keyed: dict[str, list] = {}
        for name, messages in error.message_dict.items():
            column = columns.get(name, NON_FIELD_ERRORS)
            keyed.setdefault(column, []).extend(messages)
        return ValidationError(keyed)


def sheet_row(row_number: int) -> int:
    """The row an administrator sees in Excel: the heading is row 1, the first item row 2."""
    return row_number + 1


__all__ = ["ItemListResource", "sheet_row", "working_versions"]
