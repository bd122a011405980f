"""The public working-day calendar API."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approval_center.api_errors import THROTTLED
from workflow.calendar import load_work_calendar
from workflow.deadlines import SPAN_END, CalendarRangeError, add_workdays, workdays_between

from .serializers import (
    WorkdaysCountSerializer,
    WorkdaysDateSerializer,
    WorkdaysErrorSerializer,
    WorkdaysQuerySerializer,
)


def _error_detail(errors: dict) -> str:
    """The serializer's errors on one line, each after its parameter ("start: Enter …")."""
    parts = []
    for field, messages in errors.items():
        for message in messages:
            parts.append(str(message) if field == "non_field_errors" else f"{field}: {message}")
    return " ".join(parts)


class WorkdaysView(APIView):
    """Working-day arithmetic on the center's official calendar (Art. 82)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Add or count working days"),
        description=gettext_lazy(
            "Working days exclude weekends and statutory holidays and include make-up working "
            "days, as in Art. 82 of the Administrative Licensing Law; the start day is not "
            "counted. With add=N: the N-th working day after start. With end: the working days "
            "in (start, end], negative when end is before start. calendar_known is false when "
            "a year in the range has no official schedule loaded."
        ),
        parameters=[WorkdaysQuerySerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="WorkdaysResult",
                serializers=[WorkdaysDateSerializer, WorkdaysCountSerializer],
                resource_type_field_name=None,
            ),
            400: OpenApiResponse(
                WorkdaysErrorSerializer, description=gettext_lazy("Bad parameters.")
            ),
            429: THROTTLED,
        },
        examples=[
            OpenApiExample(
                "add",
                summary=gettext_lazy("5 working days after 2025-09-30 (National Day)"),
                value={"date": "2025-10-14", "calendar_known": True},
                response_only=True,
            ),
            OpenApiExample(
                "between",
                summary=gettext_lazy("Working days from 2025-09-30 to 2025-10-14"),
                value={"workdays": 5, "calendar_known": True},
                response_only=True,
            ),
        ],
        tags=["calendar"],
    )
    def get(self, request: Request) -> Response:
        query = WorkdaysQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response({"detail": _error_detail(query.errors)}, status=400)
        start = query.validated_data["start"]
        calendar = load_work_calendar()
        if "end" in query.validated_data:
            end = query.validated_data["end"]
            count = workdays_between(start, end, calendar=calendar)
            return Response({"workdays": count, "calendar_known": calendar.knows(start, end)})
        try:
            due = add_workdays(start, query.validated_data["add"], calendar=calendar)
        except CalendarRangeError:
            # Only the result can still be out of range: the inputs were checked above.
            return Response(
                {
                    "detail": _(
                        "The result falls after %(last)s, the last day the calendar covers."
                    )
                    % {"last": SPAN_END.isoformat()}
                },
                status=400,
            )
        return Response({"date": due.isoformat(), "calendar_known": calendar.knows(start, due)})
