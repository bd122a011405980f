"""The alerts API (``/api/v1/supervision/alerts/``): the cards and reminders the scan raised, as
the office's list shows them, and acknowledging one.

A supervision officer reads the alerts of their center and every center under it, a
department's leader those of their department; anyone else is refused (403), and an alert
outside the reader's scope is "not found". Refusals come back as ``{"detail", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from approval_center.api_errors import BAD_QUERY, error_response
from workflow.api.cases import invalid_input, refused
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.exceptions import WorkflowError
from workflow.paging import KeysetPage, keyset_page

from ..filters import AlertFilter
from ..models import Alert
from ..scope import alerts_for, leader_departments, officer_centers
from ..services import alert_acknowledge
from .serializers import AlertAcknowledgeSerializer, AlertSerializer


class IsSupervisionReader(BasePermission):
    """Logged in as a supervision officer or a department's leader (approver, chief
    representative)."""

    message = gettext_lazy(
        "These endpoints are for supervision officers and the leaders of departments."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and (leader_departments(user) or officer_centers(user))
        )


class KeysetPagination(BasePagination):
    """Newest first, "next / previous" by an opaque cursor, no total.

    DRF's own cursor places a page by the first column of the order and an offset among the
    rows that share its value; the scan raises alerts by the thousand on one day (``raised_on``
    is a date), so that offset would read and throw away thousands of rows. A keyset page is
    placed by every column of the order, ``id`` included, and the list's index starts there.
    """

    cursor_query_param = "cursor"
    page_size = api_settings.PAGE_SIZE

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        direction, _dot, position = request.query_params.get(self.cursor_query_param, "").partition(
            "."
        )
        self.request = request
        self.page: KeysetPage = keyset_page(
            queryset,
            after=position if direction == "n" else None,
            before=position if direction == "p" else None,
            size=self.page_size,
        )
        return list(self.page)

    def _link(self, direction: str, token: str | None) -> str | None:
        if token is None:
            return None
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, f"{direction}.{token}"
        )

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link("n", self.page.next_cursor),
                "previous": self._link("p", self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    gettext_lazy(
                        "The page: the cursor of a next or previous link. One that is not "
                        "gives the first page."
                    )
                ),
                "schema": {"type": "string"},
            }
        ]


ALERT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("The alert's id.")
)
NOT_LOGGED_IN = error_response(
    gettext_lazy("Not logged in: no API token or session, or the token expired or was revoked.")
)
NOT_SUPERVISION = error_response(
    gettext_lazy("The account is neither a supervision officer's nor a department leader's.")
)
NO_ALERT_MESSAGE = gettext_lazy("No alert with this id that you may see.")
NO_ALERT = error_response(NO_ALERT_MESSAGE)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Alerts you supervise"),
        description=gettext_lazy(
            "The reminders and yellow and red cards of your center and every center under it "
            "(a supervision officer), or of your department (its leader); newest first."
        ),
        responses={
            200: AlertSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_SUPERVISION,
        },
        tags=["supervision"],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One alert"),
        parameters=[ALERT_ID],
        responses={
            200: AlertSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_SUPERVISION,
            404: NO_ALERT,
        },
        tags=["supervision"],
    ),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The alerts of the reader's scope."""

    permission_classes = [IsSupervisionReader]
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    pagination_class = KeysetPagination
    queryset = Alert.objects.none()
    # Ids fit a 64-bit integer; anything longer is not an alert.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Alert]:
        return alerts_for(self.request.user).select_related("case")

    def get_object(self) -> Alert:
        # By id within the reader's scope only; the list's filters do not apply to one alert.
        alert = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if alert is None:
            raise NotFound(NO_ALERT_MESSAGE)
        return alert

    def get_serializer_context(self) -> dict:
        # One calendar and one "today" for the whole page.
        return {
            **super().get_serializer_context(),
            "today": shanghai_today(timezone.now()),
            "calendar": load_work_calendar(),
        }

    @extend_schema(
        summary=gettext_lazy("Acknowledge an alert"),
        description=gettext_lazy(
            "Record that you have seen the alert and what is being done about it. A "
            "supervision officer of the alert's center tree or a leader of its department "
            "may; an alert is acknowledged once."
        ),
        request=AlertAcknowledgeSerializer,
        parameters=[ALERT_ID],
        responses={
            200: AlertSerializer,
            400: error_response(gettext_lazy("Bad input: the note is empty or too long.")),
            401: NOT_LOGGED_IN,
            403: NOT_SUPERVISION,
            404: NO_ALERT,
            409: error_response(gettext_lazy("The alert was already acknowledged.")),
        },
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="acknowledge")
    def acknowledge(self, request: Request, pk: str) -> Response:
        alert = self.get_object()
        parsed = AlertAcknowledgeSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            alert_acknowledge(alert=alert, by=request.user, note=parsed.validated_data["note"])
        except WorkflowError as error:
            return refused(error)
        return Response(self.get_serializer(self.get_object()).data)
