"""The performance report (绩效评估) in the API, under ``/api/v1/supervision/reports/``: a
month's ranked lines per department, window or center, and closing a month.

Scoped like the pages: a supervision officer reads the lines of their center and every center
below (the ranks stay city-wide); a department's leader only their department's line (the
department report; the window and center reports are the office's); anyone else is refused
(403). Closing a month is for a supervision officer of the top-level center, for the whole city
at once. Refusals come back as ``{"detail": message}`` (and ``fields`` for input), in the
reader's language, with 400, 403 or 409.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approval_center.api_errors import error_response
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import ActionForbidden, WorkflowError

from ..models.performance import COUNTERS, Grade, ReportKind
from ..performance import RATES, Report, check_kind, month_close, month_report, parse_month
from .urges import NOT_A_READER, NOT_LOGGED_IN, IsSupervisionReader, request_reach


class FiguresSerializer(serializers.Serializer):
    locals().update({name: serializers.IntegerField() for name in COUNTERS})


class RatesSerializer(serializers.Serializer):
    locals().update({name: serializers.FloatField(allow_null=True) for name in RATES})


class LineSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        help_text=gettext_lazy(
            "1 for the best; ties share a rank; 0 for a line with nothing scored (not ranked)."
        )
    )
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    grade = serializers.ChoiceField(
        choices=Grade.choices,
        allow_blank=True,
        help_text=gettext_lazy("Empty for a line that is not ranked."),
    )
    grade_label = serializers.SerializerMethodField()
    center_id = serializers.IntegerField()
    center_name = serializers.CharField()
    department_id = serializers.IntegerField(allow_null=True)
    department_name = serializers.CharField()
    window_id = serializers.IntegerField(allow_null=True)
    window_label = serializers.CharField()
    figures = FiguresSerializer()
    rates = RatesSerializer(
        help_text=gettext_lazy("Fractions 0–1, averages in working days; null without data.")
    )

    def get_grade_label(self, line: Any) -> str:
        return str(Grade(line.grade).label) if line.grade else str(_("Not ranked"))


class ReportSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    closed = serializers.BooleanField(help_text=gettext_lazy("A closed month is frozen."))
    closed_at = serializers.DateTimeField(allow_null=True)
    lines = LineSerializer(many=True)

    def get_month(self, report: Report) -> str:
        return f"{report.month:%Y-%m}"


class CloseSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", help_text=gettext_lazy("The month to close, YYYY-MM.")
    )


MONTH = OpenApiParameter(
    "month",
    str,
    description=gettext_lazy("YYYY-MM; this month when left out."),
)
KIND = OpenApiParameter(
    "kind",
    str,
    enum=ReportKind.values,
    description=gettext_lazy("department (default), window or center."),
)


def scoped(report: Report, reach) -> Report:
    """The lines of ``report`` the reader may see."""
    lines = [
        line
        for line in report.lines
        if line.center_id in reach.centers
        or (report.kind == ReportKind.DEPARTMENT and line.department_id in reach.departments)
    ]
    report.lines = lines
    return report


class ReportView(APIView):
    """The month's performance report (one object, not a list: the lines are ranked inside)."""

    permission_classes = [IsSupervisionReader]

    @extend_schema(
        summary=gettext_lazy("A month's performance report"),
        description=gettext_lazy(
            "The ranked lines of the month's departments, windows or centers: figures, rates, "
            "score, grade and rank among every line of the kind in the city. A supervision "
            "officer reads the lines of their center and every center below, a department "
            "leader their department's line. A closed month is frozen; an open one is added "
            "up from the daily summary (up to 15 minutes behind)."
        ),
        parameters=[MONTH, KIND],
        responses={
            200: ReportSerializer,
            400: error_response(gettext_lazy("The month or the kind is not one the report takes.")),
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
        },
        tags=["supervision"],
    )
    def get(self, request: Request) -> Response:
        reach = request_reach(request)
        try:
            text = request.query_params.get("month")
            month = parse_month(text) if text else shanghai_today(timezone.now()).replace(day=1)
            kind = check_kind(request.query_params.get("kind") or ReportKind.DEPARTMENT)
            if not reach.centers and kind != ReportKind.DEPARTMENT:
                raise ActionForbidden(
                    _("A department's leader reads the department report, their own line.")
                )
        except WorkflowError as error:
            return refused(error)
        report = month_report(month=month, kind=kind)
        return Response(ReportSerializer(scoped(report, reach)).data)


class ReportCloseView(APIView):
    """Closing a month."""

    permission_classes = [IsSupervisionReader]

    @extend_schema(
        summary=gettext_lazy("Close a month"),
        description=gettext_lazy(
            "For a supervision officer of the top-level service center: freezes the month's "
            "lines of every kind with the weights in force. Only a month that is over, once. "
            "Answers the department report of the closed month."
        ),
        request=CloseSerializer,
        responses={
            201: ReportSerializer,
            400: error_response(gettext_lazy("Bad input.")),
            401: NOT_LOGGED_IN,
            403: error_response(
                gettext_lazy("Not a supervision officer of the top-level service center.")
            ),
            409: error_response(gettext_lazy("The month is not over yet, or closed already.")),
        },
        tags=["supervision"],
    )
    def post(self, request: Request) -> Response:
        parsed = CloseSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            month = parse_month(parsed.validated_data["month"])
            month_close(month=month, by=request.user, now=timezone.now())
        except WorkflowError as error:
            return refused(error)
        report = month_report(month=month, kind=ReportKind.DEPARTMENT)
        return Response(
            ReportSerializer(scoped(report, request_reach(request))).data,
            status=status.HTTP_201_CREATED,
        )
