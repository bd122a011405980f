"""The hall's home page content, edited by the catalog administrator: themes and notices; and
the consultations asked in the hall, for reading (answers and the FAQ are written in the
workbench, through ``portal.consultations``).

As in the catalog's admin, the pages ask for the catalog administrator's role itself as well as
the permissions of its group (portal migration 0001 grants them), so a staff member given the
permissions some other way opens none of them.
"""

from django.contrib import admin

from catalog.models import Role
from catalog.roles import has_role

from .models import Announcement, Consultation, Theme


class CatalogAdministratorAdmin(admin.ModelAdmin):
    """Pages of the catalog administrator (and superusers): their group's permissions and the role."""

    def _administers(self, request) -> bool:
        return has_role(request.user, Role.CATALOG_ADMINISTRATOR)

    def has_module_permission(self, request):
        return self._administers(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._administers(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._administers(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._administers(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._administers(request) and super().has_delete_permission(request, obj)


@admin.register(Theme)
class ThemeAdmin(CatalogAdministratorAdmin):
    list_display = ["name", "audience", "order", "icon"]
    list_filter = ["audience"]
    list_editable = ["order"]
    search_fields = ["name"]
    autocomplete_fields = ["items"]


@admin.register(Announcement)
class AnnouncementAdmin(CatalogAdministratorAdmin):
    list_display = ["title", "published_at", "pinned"]
    list_filter = ["pinned"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"


@admin.register(Consultation)
class ConsultationAdmin(CatalogAdministratorAdmin):
    """Read only: answering and publishing go through the services, which tell the applicant
    and redraw the guides."""

    list_display = [
        "asked_at",
        "item",
        "department",
        "status",
        "due_on",
        "answered_on",
        "published",
    ]
    list_filter = ["status", "published", "department"]
    search_fields = ["item__code", "question", "faq_question"]
    date_hierarchy = "asked_at"
    list_select_related = ["item", "department"]
    # The applicant's name is not what the list is read for, and a raw id avoids loading them.
    raw_id_fields = ["applicant", "answered_by", "published_by"]
    # A changelist of a province's questions must not count them exactly.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
