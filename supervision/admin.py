"""The supervision rules in the admin; what the scan and the office write is read here only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Role
from catalog.roles import has_role
from workflow.calendar import shanghai_today

from .kiosks import IssuedCode, kiosk_issue, kiosk_reissue, kiosk_revoke
from .models import Alert, Correction, Kiosk, RuleSet, RuleThreshold, Urge


class RuleThresholdInline(admin.TabularInline):
    model = RuleThreshold
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


def _editable(rule_set: RuleSet | None) -> bool:
    """A rule set may change until its first day: after that, the cards it raised must stay
    reproducible, and a change is a new rule set from a later day."""
    return rule_set is None or not rule_set.in_force_by(shanghai_today())


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "reminder_workdays",
        "red_after_workdays",
        "urge_response_workdays",
        "note",
    ]
    inlines = [RuleThresholdInline]
    readonly_fields = ["created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["effective_from", "note"]}),
        (
            _("Cards and urge notices"),
            {"fields": ["reminder_workdays", "red_after_workdays", "urge_response_workdays"]},
        ),
        (
            _("Ratings, rectifications and complaints"),
            {
                "fields": [
                    "rating_scale",
                    "rating_workdays",
                    "rating_default_level",
                    "rectification_workdays",
                    "complaint_accept_workdays",
                    "complaint_answer_workdays",
                ]
            },
        ),
        (
            _("Performance: score and grades"),
            {
                "fields": [
                    "weights",
                    "red_card_deduction",
                    "yellow_card_deduction",
                    "grade_excellent",
                    "grade_good",
                    "grade_pass",
                    "month_closes_on",
                ]
            },
        ),
        (None, {"fields": ["created_by", "created_at"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class _ReadOnly(admin.ModelAdmin):
    """Written by the office's services only: read here, never changed."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(_ReadOnly):
    list_display = ["raised_on", "level", "rule", "subject", "department", "resolved_on"]
    list_filter = ["level", "rule"]
    search_fields = ["subject"]
    raw_id_fields = ["case", "step", "department", "center", "acknowledged_by"]


@admin.register(Urge)
class UrgeAdmin(_ReadOnly):
    list_display = ["number", "department", "sent_on", "due_on", "status", "answered_on"]
    list_filter = ["status"]
    search_fields = ["number"]
    raw_id_fields = ["department", "center", "sent_by", "answered_by", "closed_by"]


@admin.register(Correction)
class CorrectionAdmin(_ReadOnly):
    list_display = ["recorded_at", "outcome", "department", "responsible_person", "review"]
    list_filter = ["outcome", "review"]
    raw_id_fields = [
        "alert",
        "department",
        "center",
        "recorded_by",
        "appealed_by",
        "reviewed_by",
    ]


# --- the windows' rating kiosks ---------------------------------------------------------------


def _manages_kiosks(request: HttpRequest) -> bool:
    """Catalog administrators (who keep the windows) and superusers issue and revoke kiosks."""
    user = request.user
    return bool(user.is_active and user.is_staff and has_role(user, Role.CATALOG_ADMINISTRATOR))


def _show_code(request: HttpRequest, issued: IssuedCode) -> None:
    # The code in clear exists in this message only: the kiosk keeps its digest.
    expires = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M")
    messages.warning(
        request,
        gettext(
            "Binding code for the kiosk of window %(window)s: %(code)s. Open /kiosk/ on the "
            "device and enter it before %(expires)s. It is shown this once only."
        )
        % {"window": issued.kiosk.window.number, "code": issued.shown, "expires": expires},
    )


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    """Adding a kiosk issues its one-time binding code; the actions issue a new code or revoke
    (the device stops at once)."""

    list_display = ["window", "label", "state", "issued_at", "bound_at", "last_seen_at"]
    list_filter = ["window__center"]
    search_fields = ["window__number", "label"]
    list_select_related = ["window__center"]
    actions = ["issue_new_code", "revoke"]

    def get_fields(self, request: HttpRequest, obj: Kiosk | None = None) -> list[str]:
        if obj is None:
            return ["window", "label"]
        return [
            "window",
            "label",
            "state",
            "issued_by",
            "issued_at",
            "code_expires_at",
            "bound_at",
            "last_seen_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Kiosk | None = None) -> list[str]:
        if obj is None:
            return []
        return [
            "window",
            "state",
            "issued_by",
            "issued_at",
            "code_expires_at",
            "bound_at",
            "last_seen_at",
            "revoked_at",
        ]

    @admin.display(description=_("state"))
    def state(self, kiosk: Kiosk) -> str:
        now = timezone.now()
        if kiosk.revoked_at:
            return gettext("Stopped (revoked)")
        if kiosk.code_digest and kiosk.code_expires_at and kiosk.code_expires_at > now:
            if kiosk.device_digest:
                return gettext("Bound; a new code is waiting")
            return gettext("Waiting for its code")
        if kiosk.device_digest:
            return gettext("Bound")
        return gettext("Code expired: issue a new one")

    def save_model(self, request: HttpRequest, obj: Kiosk, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["label"])
            return
        issued = kiosk_issue(window=obj.window, label=obj.label, by=request.user)
        # The admin goes on with ``obj`` (its log entry and redirect): make it the saved kiosk.
        for field in Kiosk._meta.concrete_fields:
            setattr(obj, field.attname, getattr(issued.kiosk, field.attname))
        obj._state.adding = False
        _show_code(request, issued)

    @admin.action(description=_("Issue a new binding code"))
    def issue_new_code(self, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        for kiosk in queryset.select_related("window"):
            _show_code(request, kiosk_reissue(kiosk=kiosk, by=request.user))

    @admin.action(description=_("Revoke: stop the device at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        count = 0
        for kiosk in queryset:
            kiosk_revoke(kiosk=kiosk, by=request.user)
            count += 1
        messages.success(request, gettext("Kiosks revoked: %(count)s.") % {"count": count})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_kiosks(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_kiosks(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _manages_kiosks(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_kiosks(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_kiosks(request)
