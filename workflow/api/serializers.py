"""Serializers of the working-day calendar API."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflow.deadlines import MAX_WORKDAYS, SPAN_END, SPAN_START

_DATE_ERRORS: dict[str, Any] = {
    "invalid": _("Enter the date as YYYY-MM-DD."),
    "datetime": _("Enter the date as YYYY-MM-DD, without a time."),
}


def _check_span(value):
    if not SPAN_START <= value <= SPAN_END:
        raise serializers.ValidationError(
            _("The calendar covers %(first)s to %(last)s only.")
            % {"first": SPAN_START.isoformat(), "last": SPAN_END.isoformat()}
        )
    return value


class WorkdaysQuerySerializer(serializers.Serializer):
    """The query string: ``start`` and exactly one of ``add`` or ``end``."""

    start = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        validators=[_check_span],
        help_text=_("The day of the triggering event (not counted), YYYY-MM-DD."),
        error_messages={
            **_DATE_ERRORS,
            "required": _("This parameter is required (a date as YYYY-MM-DD)."),
        },
    )
    add = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_WORKDAYS,
        help_text=_("Number of working days to add to start (0 returns start itself)."),
        error_messages={
            "invalid": _("add must be a whole number of working days."),
            "min_value": _("add cannot be negative."),
            # DRF fills in {max_value}.
            "max_value": _("add cannot exceed {max_value} working days."),
            "max_string_length": _("add is too long."),
        },
    )
    end = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[_check_span],
        help_text=_("Count the working days in (start, end], YYYY-MM-DD."),
        error_messages=_DATE_ERRORS,
    )

    def validate(self, attrs):
        if ("add" in attrs) == ("end" in attrs):
            raise serializers.ValidationError(
                _("Give exactly one of add (working days to add) or end (a date to count to).")
            )
        return attrs


class WorkdaysDateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The add-th working day after start."))
    calendar_known = serializers.BooleanField(
        help_text=_(
            "False when a year in the range has no official schedule loaded and was computed "
            "as Monday to Friday."
        )
    )


class WorkdaysCountSerializer(serializers.Serializer):
    workdays = serializers.IntegerField(
        help_text=_("Working days in (start, end]; negative when end is before start.")
    )
    calendar_known = serializers.BooleanField(
        help_text=_(
            "False when a year in the range has no official schedule loaded and was computed "
            "as Monday to Friday."
        )
    )


class WorkdaysErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
