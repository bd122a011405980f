"""The catalog administration: organisation, roles and the versioned item catalog.

Two roles work here, each with its own group of permissions (catalog migration 0006), and
``membership_grant`` makes both ``is_staff``: catalog administrators edit the catalog (and the
working-day calendar, in workflow's admin); user administrators manage staff accounts and grant
roles, and read the role log. The user, membership and role-log pages also ask for the user
administrator's role itself, so a group given too much opens none of them. Others with
``is_staff`` see at most what their view permissions allow.

Versions are written through ``catalog.versions``: a new item with ``item_create``, a draft's
guide with ``item_version_update``, publishing with ``item_version_publish``, a new draft with
``item_version_draft``. A version that is not a draft is shown read-only, inlines included.
Publishing, from the draft's page or the list's action, first shows what changes against the
current version (``catalog.version_diff``); only the confirming POST publishes.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult

from .downloads import MATERIAL_FILES
from .forms import (
    ItemCreateForm,
    ItemVersionForm,
    MaterialAdminForm,
    StaffMembershipForm,
    StepInlineFormSet,
    StepTemplateForm,
    material_file_link,
)
from .item_list import ItemListResource
from .joint import joint_item_set_active
from .models import (
    ApprovalItem,
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    JointItem,
    Material,
    Role,
    RoleChange,
    ServiceCenter,
    StaffContact,
    StaffMembership,
    StepTemplate,
    VersionStatus,
    Window,
)
from .roles import has_role, membership_grant, membership_revoke, membership_revoke_check
from .selectors import current_version_of, version_content
from .version_diff import DiffSection, diff_fingerprint, version_diff
from .versions import (
    GUIDE_FIELDS,
    item_create,
    item_version_draft,
    item_version_publish,
    item_version_update,
    version_problems,
)

User = get_user_model()


def manages_users(request) -> bool:
    """Superusers and user administrators; nobody else sees accounts, roles or the role log."""
    return has_role(request.user, Role.USER_ADMINISTRATOR)


class UserManagementAdmin(admin.ModelAdmin):
    """Pages of the user administrator: their group's permissions and the role itself."""

    def has_module_permission(self, request):
        return manages_users(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return manages_users(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return manages_users(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return manages_users(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return manages_users(request) and super().has_delete_permission(request, obj)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "phone"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "center", "head"]
    list_filter = ["center"]
    search_fields = ["code", "name"]
    list_select_related = ["center", "head"]
    autocomplete_fields = ["center", "head"]

    def get_readonly_fields(self, request, obj=None):
        # Choosing the head means looking up staff accounts, which is the user administrator's.
        if manages_users(request):
            return []
        return ["head"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["number", "center", "kind", "departments_served"]
    list_filter = ["center", "kind"]
    search_fields = ["number", "center__name", "departments__name"]
    list_select_related = ["center"]
    filter_horizontal = ["departments", "clerks"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "clerks":
            # Only staff with a window clerk's or chief representative's role sit at a window.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    memberships__role__in=[Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE]
                )
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("departments served"))
    def departments_served(self, window: Window) -> str:
        return "、".join(department.name for department in window.departments.all())


@admin.register(ItemCategory)
class ItemCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_legacy", "sort_order"]
    list_filter = ["is_legacy"]
    search_fields = ["code", "name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(UserManagementAdmin):
    """Roles are granted and revoked, never edited, so the user's Django group always follows.

    Through ``membership_grant`` and ``membership_revoke`` with ``by`` the signed-in user, so
    that nobody grants a role to themselves and every recorded role lands in the role log.
    """

    form = StaffMembershipForm
    list_display = ["user", "role", "department", "center"]
    list_filter = ["role", "center"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    list_select_related = ["user", "department", "center"]
    autocomplete_fields = ["user", "department", "center"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "role", "department", "center"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form asks membership_check with the granting user, to refuse a self-grant
        # next to the user field.
        return type(form.__name__, (form,), {"granted_by": request.user})

    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            try:
                membership_revoke_check(membership=obj, by=request.user)
            except ValidationError:
                return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        membership = membership_grant(
            user=obj.user,
            role=obj.role,
            department=obj.department,
            center=obj.center,
            by=request.user,
        )
        # The admin logs and redirects with the instance it holds: make it the granted row.
        obj.pk = membership.pk
        obj._state.adding = False
        obj._state.db = membership._state.db

    def delete_model(self, request, obj):
        membership_revoke(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # The confirmation page already refused a selection holding one's own user
        # administrator role (has_delete_permission per row): each revocation is allowed here.
        for membership in queryset.select_related("user"):
            membership_revoke(membership=membership, by=request.user)


@admin.register(RoleChange)
class RoleChangeAdmin(UserManagementAdmin):
    """The role log, read-only: rows are written by ``catalog.roles`` and never changed."""

    list_display = ["at", "change", "role", "user", "place", "by"]
    list_filter = ["change", "role", "center"]
    search_fields = ["user__username", "user__first_name", "by__username", "by__first_name"]
    list_select_related = ["user", "by", "department", "center"]
    fields = ["at", "change", "role", "user", "department", "center", "by"]
    readonly_fields = fields
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("where"))
    def place(self, entry: RoleChange) -> str:
        return str(entry.department or entry.center)


class MembershipInline(admin.TabularInline):
    """A user's roles, read-only: they are granted on the staff memberships page."""

    model = StaffMembership
    fields = ["role", "department", "center"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffContactInline(admin.StackedInline):
    """The staff member's mobile phone, for the supervision's text messages."""

    model = StaffContact
    extra = 1
    max_num = 1
    can_delete = True


class StaffUserAdmin(UserManagementAdmin, UserAdmin):
    """Staff accounts, for user administrators; their password pages included.

    A user administrator cannot raise anyone's rights beyond a role (the fields below are
    read-only for them), nor change a superuser or another user administrator: whoever may set
    such an account's password may act as it, and so grant themselves what it may.
    """

    inlines = [StaffContactInline, MembershipInline]
    # Groups follow memberships; the rest would let an administrator raise their own rights.
    protected_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None:
            readonly.extend(self.protected_fields)
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.pk != request.user.pk:
            if obj.is_superuser:
                return False
            if obj.memberships.filter(role=Role.USER_ADMINISTRATOR).exists():
                return False
        return super().has_change_permission(request, obj)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


def _version_change_url(version: ItemVersion) -> str:
    return reverse("admin:catalog_itemversion_change", args=[version.pk])


class VersionHistoryInline(admin.TabularInline):
    """An item's versions, newest first, each linking to its page."""

    model = ItemVersion
    fields = ["version", "name", "status", "department", "published_at", "published_by"]
    readonly_fields = fields
    ordering = ["-number"]
    extra = 0
    can_delete = False
    verbose_name = _("version")
    verbose_name_plural = _("version history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("version"))
    def version(self, version: ItemVersion) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            _version_change_url(version),
            gettext("Version %(number)s") % {"number": version.number},
        )


@admin.register(ApprovalItem)
class ApprovalItemAdmin(ImportExportMixin, admin.ModelAdmin):
    """Items are permanent codes; what they say lives in their versions.

    Adding an item opens the new-item form of the versions (code plus first draft). The list
    is exported to and imported from Excel (``catalog.item_list``): an import writes drafts
    only, after a dry run that names each bad cell, and only when the administrator confirms.
    """

    resource_classes = [ItemListResource]
    formats = [XLSX]
    # The format is fixed and every column is wanted: the export downloads at once.
    skip_export_form = True
    import_template_name = "admin/catalog/approvalitem/import.html"

    list_display = ["code", "current_name", "current_department", "current", "draft"]
    search_fields = ["code", "versions__name"]
    fields = ["code", "created_at"]
    readonly_fields = ["code", "created_at"]
    inlines = [VersionHistoryInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=ItemVersion.objects.select_related("department").order_by("-number"),
                )
            )
        )

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:catalog_itemversion_add"))

    # -- the list in Excel -------------------------------------------------------------------

    def has_import_permission(self, request):
        # The catalog administrator's (and a superuser's), with the permissions of the group
        # that role carries: an import makes items and writes drafts.
        return has_role(request.user, Role.CATALOG_ADMINISTRATOR) and request.user.has_perms(
            ["catalog.add_approvalitem", "catalog.add_itemversion", "catalog.change_itemversion"]
        )

    def has_export_permission(self, request):
        return has_role(request.user, Role.CATALOG_ADMINISTRATOR) and request.user.has_perm(
            "catalog.view_itemversion"
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"item-list-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def process_dataset(self, dataset, form, request, **kwargs):
        # All or nothing: if the confirmed sheet no longer passes (the catalog changed since
        # the preview), nothing of it is written.
        return super().process_dataset(
            dataset, form, request, rollback_on_validation_errors=True, **kwargs
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: the catalog changed since the preview. "
                    "Check the rows below and import the sheet again."
                ),
                messages.ERROR,
            )
            return self._import_page(request, result)
        return super().process_result(result, request)

    def _import_page(self, request, result):
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": gettext("Import"),
            "form": form,
            "opts": self.opts,
            "media": self.media + form.media,
            "result": result,
            "fields_list": [],
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def add_success_message(self, result, request):
        self.message_user(
            request,
            gettext(
                "Import finished: %(new)s new items and %(updated)s drafts written; "
                "%(unchanged)s rows changed nothing. Check each draft and publish it."
            )
            % {
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        # Cases and history refer to the code; versions protect the row anyway.
        return False

    @staticmethod
    def _version(item: ApprovalItem, status: str) -> ItemVersion | None:
        return next((v for v in item.versions.all() if v.status == status), None)

    def _shown(self, item: ApprovalItem) -> ItemVersion | None:
        return self._version(item, VersionStatus.PUBLISHED) or self._version(
            item, VersionStatus.DRAFT
        )

    @admin.display(description=_("name"))
    def current_name(self, item: ApprovalItem) -> str:
        version = self._shown(item)
        return version.name if version else "-"

    @admin.display(description=_("department"))
    def current_department(self, item: ApprovalItem) -> str:
        version = self._shown(item)
        return version.department.name if version else "-"

    @admin.display(description=_("current version"))
    def current(self, item: ApprovalItem) -> str:
        version = self._version(item, VersionStatus.PUBLISHED)
        if version is None:
            return gettext("not published yet")
        return format_html(
            '<a href="{}">{}</a>',
            _version_change_url(version),
            gettext("Version %(number)s") % {"number": version.number},
        )

    @admin.display(description=_("draft"))
    def draft(self, item: ApprovalItem) -> str:
        version = self._version(item, VersionStatus.DRAFT)
        if version is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            _version_change_url(version),
            gettext("Version %(number)s") % {"number": version.number},
        )


class VersionPartInline(admin.TabularInline):
    """Steps, materials and fees: editable in a draft, read-only once published."""

    extra = 0

    @staticmethod
    def _editable(version: ItemVersion | None) -> bool:
        return version is None or version.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class StepInline(VersionPartInline):
    model = StepTemplate
    form = StepTemplateForm
    formset = StepInlineFormSet
    fields = ["order", "name", "role", "limit_days"]
    ordering = ["order"]


class MaterialInline(VersionPartInline):
    model = Material
    form = MaterialAdminForm
    fields = MaterialAdminForm.Meta.fields
    ordering = ["order", "pk"]
    # Read-only, the admin would link a file to its media URL, which serves nothing: the links go
    # to the permission-checked download instead.
    _file_links = {"template_file": "template_link", "sample_file": "sample_link"}
    readonly_fields = list(_file_links.values())

    def get_fields(self, request, obj=None):
        if self._editable(obj):
            return self.fields
        return [self._file_links.get(field, field) for field in self.fields]

    @admin.display(description=_("template file"))
    def template_link(self, material: Material):
        return self._file_link(material, "template")

    @admin.display(description=_("sample file"))
    def sample_link(self, material: Material):
        return self._file_link(material, "sample")

    @staticmethod
    def _file_link(material: Material, kind: str):
        stored = getattr(material, MATERIAL_FILES[kind])
        if not stored:
            return "-"
        link = material_file_link(material, kind, str(stored))
        return format_html('<a href="{}">{}</a>', link.url, link)


class FeeInline(VersionPartInline):
    model = FeeItem
    fields = ["name", "amount", "rule", "legal_basis"]
    ordering = ["pk"]


_LIFECYCLE_FIELDS = ["item_link", "number", "status", "published_at", "published_by"]
_GUIDE_FIELDSETS = [
    (
        _("Item guide"),
        {
            "fields": [
                "name",
                "department",
                "category",
                "processing_type",
                "applicant_type",
                "legal_basis",
                "conditions",
                "result_type",
            ]
        },
    ),
    (
        _("Time limits (working days)"),
        {
            "fields": [
                "statutory_limit",
                "promised_limit",
                "extension_allowed",
                "suspension_allowed",
                "visits_required",
            ]
        },
    ),
    (
        _("At the center"),
        {
            "fields": [
                "must_enter_center",
                "entered_center",
                "window_authorization",
                "online_prereview",
                "window_location",
                "phone",
            ]
        },
    ),
]


@dataclass(frozen=True)
class PublishEntry:
    """One draft on the publishing confirmation: what changes against the current version,
    what keeps it from being published, and the fingerprint its confirmation must carry."""

    version: ItemVersion
    current: ItemVersion | None
    sections: list[DiffSection]
    problems: list[str]
    fingerprint: str


def _publish_entry(version: ItemVersion) -> PublishEntry:
    current = current_version_of(version.item_id)
    if current is not None and current.pk == version.pk:
        current = None
    sections = version_diff(
        current=version_content(current) if current is not None else None,
        draft=version_content(version),
    )
    if version.is_editable:
        problems = version_problems(version)
    else:
        problems = [
            gettext(
                "Version %(number)s of item %(code)s is %(status)s; only a draft can be published."
            )
            % {
                "number": version.number,
                "code": version.item.code,
                "status": version.get_status_display(),
            }
        ]
    return PublishEntry(
        version=version,
        current=current,
        sections=sections,
        problems=problems,
        # The version being superseded counts too: another one published meanwhile asks again.
        fingerprint=diff_fingerprint([DiffSection(str(current and current.pk), ()), *sections]),
    )


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    form = ItemVersionForm
    list_display = [
        "item_code",
        "name",
        "number",
        "status",
        "department",
        "category",
        "processing_type",
        "promised_limit",
        "statutory_limit",
        "published_at",
    ]
    list_display_links = ["item_code", "name"]
    list_filter = ["status", "category", "department", "processing_type"]
    search_fields = ["name", "item__code"]
    list_select_related = ["item", "department", "category"]
    ordering = ["item__code", "-number"]
    inlines = [StepInline, MaterialInline, FeeInline]
    actions = ["publish_selected", "draft_selected"]

    # -- form --------------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(_("New item"), {"fields": ["item_code"]}), *_GUIDE_FIELDSETS]
        lifecycle = list(_LIFECYCLE_FIELDS)
        if obj.is_editable:
            lifecycle.append("publishing_check")
        return [(_("Version"), {"fields": lifecycle}), *_GUIDE_FIELDSETS]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*_LIFECYCLE_FIELDS, "publishing_check"]
        if obj is not None and not obj.is_editable:
            readonly.extend(GUIDE_FIELDS)
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ItemCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            changed = [name for name in form.changed_data if name in GUIDE_FIELDS]
            item_version_update(
                version=obj, by=request.user, **{name: form.cleaned_data[name] for name in changed}
            )
            return
        version = item_create(
            code=form.cleaned_data["item_code"],
            by=request.user,
            **{name: form.cleaned_data[name] for name in GUIDE_FIELDS if name in form.cleaned_data},
        )
        # The inlines are saved against the form's instance: make it the row just created.
        for name in ("pk", "item", "number", "status", "created_at"):
            setattr(obj, name, getattr(version, name))
        obj._state.adding = False
        obj._state.db = version._state.db

    def delete_queryset(self, request, queryset):
        # One by one, so that the model refuses any version that is not a draft.
        for version in queryset:
            version.delete()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A draft published by someone else while this form was open, or a code taken in
            # the meantime: the admin's transaction is rolled back, say why and start over.
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if version is not None:
            may_edit_catalog = super().has_change_permission(request)
            context["can_publish"] = may_edit_catalog and version.is_editable
            context["can_make_draft"] = (
                may_edit_catalog and version.status == VersionStatus.PUBLISHED
            )
        return super().change_view(request, object_id, form_url, context)

    def view_on_site(self, version: ItemVersion) -> str | None:
        if version.status == VersionStatus.DRAFT:
            return None
        url = reverse("item-sheet", kwargs={"code": version.item.code})
        if version.status == VersionStatus.PUBLISHED:
            return url
        return f"{url}?version={version.number}"

    # -- read-only displays ------------------------------------------------------------------

    @admin.display(description=_("item code"), ordering="item__code")
    def item_code(self, version: ItemVersion) -> str:
        return version.item.code

    @admin.display(description=_("item"))
    def item_link(self, version: ItemVersion) -> str:
        if version.item_id is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:catalog_approvalitem_change", args=[version.item_id]),
            version.item.code,
        )

    @admin.display(description=_("ready to publish?"))
    def publishing_check(self, version: ItemVersion) -> str:
        if version.pk is None or not version.is_editable:
            return "-"
        problems = version_problems(version)
        if not problems:
            return gettext("Yes: nothing blocks publishing.")
        return format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
        )

    # -- publish and new draft ----------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            path(
                "<path:object_id>/new-draft/",
                self.admin_site.admin_view(self.new_draft_view),
                name="{}_{}_new_draft".format(*info),
            ),
            *super().get_urls(),
        ]

    def _version_or_404(self, request, object_id) -> ItemVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None:
            raise Http404(gettext("There is no such item version."))
        return version

    def publish_view(self, request, object_id):
        """Publishing asks first: GET shows what changes, only the confirming POST publishes."""
        version = self._version_or_404(request, object_id)
        if not super().has_change_permission(request):
            raise PermissionDenied
        entry = _publish_entry(version)
        stale = False
        if request.method == "POST" and "confirm" in request.POST:
            if request.POST.get(f"fingerprint-{version.pk}") == entry.fingerprint:
                self._publish(request, version)
                return HttpResponseRedirect(_version_change_url(version))
            stale = True
        return self._publish_confirmation(
            request,
            [entry],
            stale=stale,
            action_url=reverse(
                "admin:catalog_itemversion_publish",
                args=[version.pk],
                current_app=self.admin_site.name,
            ),
            cancel_url=_version_change_url(version),
        )

    def new_draft_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = self._version_or_404(request, object_id)
        if not super().has_change_permission(request):
            raise PermissionDenied
        draft = self._make_draft(request, version)
        return HttpResponseRedirect(_version_change_url(draft or version))

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish_selected(self, request, queryset):
        entries = [
            _publish_entry(version)
            for version in queryset.select_related("item").order_by("item__code", "number")
        ]
        stale = False
        if "confirm" in request.POST:
            if all(
                request.POST.get(f"fingerprint-{entry.version.pk}") == entry.fingerprint
                for entry in entries
            ):
                for entry in entries:
                    self._publish(request, entry.version)
                return None
            stale = True
        hidden = [("action", "publish_selected")] + [
            (helpers.ACTION_CHECKBOX_NAME, entry.version.pk) for entry in entries
        ]
        return self._publish_confirmation(
            request,
            entries,
            stale=stale,
            action_url=request.get_full_path(),
            cancel_url=request.get_full_path(),
            hidden=hidden,
        )

    def _publish_confirmation(
        self, request, entries, *, stale, action_url, cancel_url, hidden=()
    ) -> TemplateResponse:
        """The page that shows, per draft, what publishing changes, with Publish and Cancel."""
        hidden = [*hidden, *((f"fingerprint-{e.version.pk}", e.fingerprint) for e in entries)]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish drafts?")
            if len(entries) > 1
            else gettext("Publish this draft?"),
            "opts": self.opts,
            "entries": entries,
            "stale": stale,
            "publishable": any(not entry.problems for entry in entries),
            "action_url": action_url,
            "cancel_url": cancel_url,
            "hidden": hidden,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/catalog/itemversion/publish_confirmation.html", context
        )

    @admin.action(description=_("Make a new draft of the selected items"), permissions=["change"])
    def draft_selected(self, request, queryset):
        drafts = {}
        for version in queryset.select_related("item").order_by("item__code", "number"):
            draft = self._make_draft(request, version)
            if draft is not None:
                drafts[draft.pk] = draft
        if len(drafts) == 1:
            return HttpResponseRedirect(_version_change_url(next(iter(drafts.values()))))
        return None

    def _publish(self, request, version: ItemVersion) -> bool:
        names = {"number": version.number, "code": version.item.code}
        try:
            item_version_publish(version=version, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Version %(number)s of item %(code)s was not published:") % names,
                messages.ERROR,
            )
            for problem in error.messages:
                self.message_user(request, problem, messages.ERROR)
            return False
        self.message_user(
            request,
            gettext("Version %(number)s of item %(code)s is published and now current.") % names,
            messages.SUCCESS,
        )
        return True

    def _make_draft(self, request, version: ItemVersion) -> ItemVersion | None:
        try:
            draft = item_version_draft(item=version.item, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return None
        self.message_user(
            request,
            gettext("Draft version %(number)s of item %(code)s is open for editing.")
            % {"number": draft.number, "code": version.item.code},
            messages.SUCCESS,
        )
        return draft


@admin.register(JointItem)
class JointItemAdmin(admin.ModelAdmin):
    """Joint items (联办件): opened and closed for applications through ``joint_item_set_active``;
    one that is not ready is kept closed, with the reasons."""

    list_display = ["code", "name", "lead_department", "joint_limit", "active"]
    list_filter = ["active", "lead_department"]
    search_fields = ["code", "name"]
    filter_horizontal = ["items"]
    actions = ["open_selected", "close_selected"]

    def save_model(self, request, obj, form, change):
        # The form only asks for the open or closed state: the service sets it in save_related,
        # once the member items are saved and can be checked.
        obj.active = (
            JointItem.objects.filter(pk=obj.pk).values_list("active", flat=True).get()
            if change
            else False
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        joint = form.instance
        if self._set_active(request, joint, form.cleaned_data["active"]):
            return
        if joint.active:
            # An edit left an open joint item not ready: it must take no more applications.
            self._set_active(request, joint, False)
        self.message_user(
            request,
            gettext("The joint item was saved closed for applications."),
            messages.WARNING,
        )

    @admin.action(
        description=_("Open the selected joint items for applications"), permissions=["change"]
    )
    def open_selected(self, request, queryset):
        for joint in queryset:
            if not self._set_active(request, joint, True):
                self.message_user(
                    request,
                    gettext("“%(name)s” stays closed for applications.") % {"name": joint.name},
                    messages.WARNING,
                )

    @admin.action(
        description=_("Close the selected joint items for new applications"),
        permissions=["change"],
    )
    def close_selected(self, request, queryset):
        for joint in queryset:
            self._set_active(request, joint, False)

    def _set_active(self, request, joint: JointItem, active: bool) -> bool:
        """Ask the service; say what changed, or each reason it was refused."""
        was_active = joint.active
        try:
            joint_item_set_active(joint_item=joint, active=active, by=request.user)
        except ValidationError as error:
            for problem in error.messages:
                self.message_user(request, problem, messages.ERROR)
            return False
        if active and not was_active:
            self.message_user(
                request,
                gettext("“%(name)s” is open for applications.") % {"name": joint.name},
                messages.SUCCESS,
            )
        elif was_active and not active:
            self.message_user(
                request,
                gettext(
                    "“%(name)s” is closed for new applications; the joint cases already taken "
                    "in continue."
                )
                % {"name": joint.name},
                messages.SUCCESS,
            )
        return True
