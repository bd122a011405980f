"""Representations of the supervision API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Alert, AlertLevel, AlertRule
from ..selectors import workdays_over
from ..services import ACKNOWLEDGEMENT_MAX_LENGTH


class AlertSerializer(serializers.ModelSerializer):
    """An alert as the office's list shows it. The serializer's context carries ``today`` and
    the working-day ``calendar``, read once per request."""

    case = serializers.IntegerField(
        source="case_id",
        allow_null=True,
        help_text=_("The case's id; null for an alert about a window's month."),
    )
    case_number = serializers.SerializerMethodField(
        help_text=_("Null for an alert without a case, or a case not accepted yet.")
    )
    step = serializers.IntegerField(
        source="step_id",
        allow_null=True,
        help_text=_("The step's id for an alert about one step; null otherwise."),
    )
    department = serializers.IntegerField(source="department_id")
    rule = serializers.ChoiceField(choices=AlertRule.choices)
    rule_label = serializers.CharField(source="get_rule_display")
    level = serializers.ChoiceField(
        choices=AlertLevel.choices,
        help_text=_("reminder before the due date, yellow when overdue, red past the limit."),
    )
    level_label = serializers.CharField(source="get_level_display")
    due_on = serializers.DateField(allow_null=True)
    resolved_on = serializers.DateField(
        allow_null=True, help_text=_("Null while the alert is open.")
    )
    revoked_on = serializers.DateField(
        allow_null=True,
        help_text=_("Set when the review of an appeal revoked the card."),
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    workdays_over = serializers.SerializerMethodField(
        help_text=_(
            "Working days past due_on, until today or until the alert was resolved; 0 for a "
            "reminder before the day; null without a due date."
        )
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "case",
            "case_number",
            "step",
            "department",
            "rule",
            "rule_label",
            "level",
            "level_label",
            "raised_on",
            "resolved_on",
            "due_on",
            "workdays_over",
            "acknowledged_at",
            "revoked_on",
        ]

    def get_case_number(self, alert: Alert) -> str | None:
        return alert.case.number if alert.case_id is not None else None

    def get_workdays_over(self, alert: Alert) -> int | None:
        return workdays_over(alert, today=self.context["today"], calendar=self.context["calendar"])


class AlertAcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=ACKNOWLEDGEMENT_MAX_LENGTH,
        help_text=_("What is being done about the alert."),
    )
