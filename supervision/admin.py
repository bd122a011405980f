"""The supervision rules in the admin; what the scan and the office write is read here only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from workflow.calendar import shanghai_today

from .models import Alert, Correction, RuleSet, RuleThreshold, Urge


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
