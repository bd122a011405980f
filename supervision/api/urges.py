"""Urge notices (督办单) in the API, under ``/api/v1/supervision/urges/``: read them, send one,
answer it, close it.

Scoped like the pages: a supervision officer reads the notices of their center and every center
below, a department's leader those sent to their department; anyone else is refused (403), and a
notice outside the reader's scope is "not found". Every write goes through one service of
``supervision.urges``; its refusals come back as ``{"detail": message}`` (and ``fields`` for
input) with 400, 403 or 409, as the cases API answers them.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from approval_center.api_errors import BAD_QUERY, error_response
from catalog.models import Department
from workflow.api.action_inputs import MAX_ID
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import InvalidInput, WorkflowError

from ..models import Urge, UrgeStatus
from ..standing import Reach, reach_of
from ..urges import (
    ACTIONS,
    MAX_CASES,
    RESPOND_WITHIN_MAX,
    RESPOND_WITHIN_MIN,
    urge_actions,
    urge_answer,
    urge_answered_late,
    urge_close,
    urge_get_for,
    urge_overdue,
    urge_send,
    urges_visible_to,
)

# --- who may call ---------------------------------------------------------------------------


def request_reach(request: Request) -> Reach:
    """The reader's reach, asked once per request."""
    reach = getattr(request, "_supervision_reach", None)
    if reach is None:
        reach = reach_of(request.user)
        request._supervision_reach = reach  # type: ignore[attr-defined]
    return reach


class IsSupervisionReader(BasePermission):
    """Supervision officers and department leaders; the others are refused."""

    message = gettext_lazy(
        "Only supervision officers and the leaders of departments read urge notices and "
        "corrections."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        return request_reach(request).reader


def person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


NOT_LOGGED_IN = error_response(
    gettext_lazy("Not logged in: no API token or session, or the token expired or was revoked.")
)
NOT_A_READER = error_response(
    gettext_lazy("Neither a supervision officer nor a department's leader, or the role is missing.")
)
NO_SUCH_URGE = error_response(gettext_lazy("No urge notice with this id that you may see."))
ACTION_ERRORS = {
    400: error_response(gettext_lazy("Bad input.")),
    401: NOT_LOGGED_IN,
    403: NOT_A_READER,
    404: NO_SUCH_URGE,
    409: error_response(gettext_lazy("Not possible in the notice's current state.")),
}


# --- reading --------------------------------------------------------------------------------


class UrgedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    number = serializers.CharField(source="case.number", allow_null=True)
    status = serializers.CharField(source="case.status")


class UrgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(
        help_text=gettext_lazy("The notice's number, e.g. 330100DB〔2026〕12号.")
    )
    department = serializers.IntegerField(source="department_id")
    department_code = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    center = serializers.IntegerField(source="center_id")
    cases = UrgedCaseSerializer(source="urged.all", many=True)
    message = serializers.CharField()
    respond_within = serializers.IntegerField(
        help_text=gettext_lazy("The answer limit in working days.")
    )
    sent_by = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    sent_on = serializers.DateField()
    due_on = serializers.DateField(
        help_text=gettext_lazy("The last working day for the department's answer.")
    )
    status = serializers.ChoiceField(choices=UrgeStatus.choices)
    overdue = serializers.SerializerMethodField(
        help_text=gettext_lazy("Open and past due_on: the department has not answered in time.")
    )
    answer = serializers.CharField(help_text=gettext_lazy("Empty until answered."))
    answered_by = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    answered_late = serializers.SerializerMethodField(
        help_text=gettext_lazy("Answered after due_on (the answer is taken, its lateness kept).")
    )
    closed_by = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closing_note = serializers.CharField()
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take on the notice now, each the name of its endpoint "
            "(POST urges/{id}/<name>/): answer, close."
        )
    )

    def get_sent_by(self, urge: Urge) -> str | None:
        return person(urge.sent_by)

    def get_answered_by(self, urge: Urge) -> str | None:
        return person(urge.answered_by)

    def get_closed_by(self, urge: Urge) -> str | None:
        return person(urge.closed_by)

    def get_overdue(self, urge: Urge) -> bool:
        return urge_overdue(urge, self.context["today"])

    def get_answered_late(self, urge: Urge) -> bool:
        return urge_answered_late(urge)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ACTIONS)))
    )
    def get_actions(self, urge: Urge) -> list[str]:
        return urge_actions(urge, self.context["user"], reach=self.context["reach"])


class UrgeFilter(django_filters.FilterSet):
    department = django_filters.NumberFilter(
        field_name="department_id",
        label=gettext_lazy("Department id"),
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
    )
    case = django_filters.NumberFilter(
        field_name="urged__case_id",
        label=gettext_lazy("Case id: the notices about this case"),
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
    )
    status = django_filters.ChoiceFilter(choices=UrgeStatus.choices, label=gettext_lazy("Status"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=gettext_lazy("true: open and past the due date; false: the others"),
    )

    class Meta:
        model = Urge
        fields = ["department", "case", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Urge], name: str, value: bool | None):
        if value is None:
            return queryset
        late = {"status": UrgeStatus.OPEN, "due_on__lt": shanghai_today(timezone.now())}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class UrgePagination(CursorPagination):
    """Newest first by an opaque cursor, no total: the indexes on (center | department,
    sent_at, id)."""

    ordering = ("-sent_at", "-id")
    page_size = api_settings.PAGE_SIZE


# --- input ----------------------------------------------------------------------------------


class UrgeSendSerializer(serializers.Serializer):
    department = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("The id of the department urged.")
    )
    cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_CASES,
        help_text=gettext_lazy("The ids of the department's cases the notice is about."),
    )
    message = serializers.CharField(
        error_messages={"blank": gettext_lazy("Write what the office asks of the department.")}
    )
    respond_within = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=RESPOND_WITHIN_MIN,
        max_value=RESPOND_WITHIN_MAX,
        help_text=gettext_lazy(
            "The answer limit in working days; by default the one of the rules in force."
        ),
    )


class UrgeAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(
        error_messages={"blank": gettext_lazy("Write the department's answer.")}
    )


class UrgeCloseSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Required when the department has not answered: why it is closed."),
    )


URGE_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Urge notice id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Urge notices you may see"),
        description=gettext_lazy(
            "A supervision officer's: those of their center and every center below; a "
            "department leader's: those sent to their department. Newest first."
        ),
        responses={
            200: UrgeSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: error_response(gettext_lazy("The cursor is not one this list gave.")),
        },
        tags=["supervision"],
    ),
)
class UrgeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Urge notices and the actions on them."""

    permission_classes = [IsSupervisionReader]
    queryset = Urge.objects.none()
    serializer_class = UrgeSerializer
    filterset_class = UrgeFilter
    pagination_class = UrgePagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Urge]:
        return urges_visible_to(self.request.user)

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "reach": request_reach(self.request),
            "today": shanghai_today(timezone.now()),
        }

    def _answer(self, request: Request, pk: int, status_code: int = 200) -> Response:
        urge = urge_get_for(user=request.user, pk=pk)
        return Response(
            UrgeSerializer(urge, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        summary=gettext_lazy("One urge notice with its cases"),
        parameters=[URGE_ID],
        responses={
            200: UrgeSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: NO_SUCH_URGE,
        },
        tags=["supervision"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Send an urge notice to a department"),
        description=gettext_lazy(
            "For a supervision officer of the department's center or a center above it; about "
            "one or several open cases of that department. The department's leaders and its "
            "head are told."
        ),
        request=UrgeSendSerializer,
        responses={
            201: UrgeSerializer,
            400: ACTION_ERRORS[400],
            401: NOT_LOGGED_IN,
            403: error_response(
                gettext_lazy("Not a supervision officer of the department's center or above.")
            ),
        },
        tags=["supervision"],
    )
    def create(self, request: Request) -> Response:
        parsed = UrgeSendSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        data = parsed.validated_data
        department = Department.objects.filter(pk=data["department"]).first()
        try:
            if department is None:
                message = _("No department has this id.")
                raise InvalidInput(message).with_fields({"department": [message]})
            urge = urge_send(
                by=request.user,
                department=department,
                cases=data["cases"],
                message=data["message"],
                respond_within=data.get("respond_within"),
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, urge.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Answer an urge notice"),
        description=gettext_lazy(
            "For a leader of the department urged (an approver or the chief representative), "
            "once, while the notice is open; an answer after the due date is taken and kept as "
            "late. The officer who sent it is told."
        ),
        request=UrgeAnswerSerializer,
        parameters=[URGE_ID],
        responses={200: UrgeSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request: Request, pk: str) -> Response:
        urge = urge_get_for(user=request.user, pk=int(pk))
        parsed = UrgeAnswerSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            urge_answer(urge=urge, by=request.user, answer=parsed.validated_data["answer"])
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, urge.pk)

    @extend_schema(
        summary=gettext_lazy("Close an urge notice"),
        description=gettext_lazy(
            "For a supervision officer of the department's center or above: after the answer, "
            "or without one with a note that says why."
        ),
        request=UrgeCloseSerializer,
        parameters=[URGE_ID],
        responses={200: UrgeSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, pk: str) -> Response:
        urge = urge_get_for(user=request.user, pk=int(pk))
        parsed = UrgeCloseSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            urge_close(urge=urge, by=request.user, note=parsed.validated_data["note"])
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, urge.pk)
