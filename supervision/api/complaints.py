"""Complaints (网上投诉) in the API, under ``/api/v1/supervision/complaints/``: read them, record
one taken on the phone, and the department's accept, decline and answer.

Scoped like the pages: a supervision officer reads the complaints of their center and every
center below, a department's leader those of their department; a window clerk or chief
representative may record a phone complaint for a department of their center; anyone else is
refused (403), and a complaint outside the reader's scope is "not found". Every write goes
through one service of ``supervision.complaints``; its refusals come back as
``{"detail": message}`` (and ``fields`` for input) with 400, 403 or 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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
from workflow.api.action_inputs import MAX_ID
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import InvalidInput, WorkflowError
from workflow.models import Case

from ..complaint_forms import ComplaintFilter
from ..complaints import (
    PHONE_LIMIT,
    STAFF_ACTIONS,
    complaint_accept,
    complaint_actions,
    complaint_answer,
    complaint_decline,
    complaint_due,
    complaint_file,
    complaint_get_for,
    complaints_visible_to,
    recording_centers,
)
from ..inputs import SHORT_TEXT
from ..models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus
from .urges import NOT_A_READER, NOT_LOGGED_IN, person, request_reach

NO_SUCH_COMPLAINT = error_response(gettext_lazy("No complaint with this id that you may see."))
ACTION_ERRORS = {
    400: error_response(gettext_lazy("Bad input.")),
    401: NOT_LOGGED_IN,
    403: NOT_A_READER,
    404: NO_SUCH_COMPLAINT,
    409: error_response(gettext_lazy("Not possible in the complaint's current state.")),
}


class IsComplaintReaderOrRecorder(BasePermission):
    """Officers and department leaders read; those who may record a phone complaint (window
    clerks and chief representatives of a center, officers) create one."""

    message = gettext_lazy(
        "Only supervision officers and the leaders of departments read complaints; window "
        "clerks and chief representatives record them by phone."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        reach = request_reach(request)
        if getattr(view, "action", None) == "create":
            return bool(recording_centers(user, reach=reach))
        return reach.reader


class ComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    name = serializers.CharField(help_text=gettext_lazy("The complainant's name."))
    phone = serializers.CharField(help_text=gettext_lazy("The complainant's phone."))
    content = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.SerializerMethodField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    center = serializers.IntegerField(source="center_id")
    filed_at = serializers.DateTimeField()
    accept_due_on = serializers.DateField()
    answer_due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField(
        help_text=gettext_lazy("Past the limit that runs now (to accept or decline, or answer).")
    )
    recorded_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    decline_reason = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = serializers.SerializerMethodField()
    complainant_level = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The complainant's rating of the answer.")
    )
    complainant_comment = serializers.CharField()
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take on the complaint now, each the name of its endpoint "
            "(POST complaints/{id}/<name>/): accept, decline, answer."
        )
    )

    def get_case_number(self, complaint: Complaint) -> str | None:
        return complaint.case.number if complaint.case is not None else None

    def get_overdue(self, complaint: Complaint) -> bool:
        return complaint_due(complaint, today=self.context["today"])["overdue"]

    def get_recorded_by(self, complaint: Complaint) -> str | None:
        return person(complaint.recorded_by)

    def get_decided_by(self, complaint: Complaint) -> str | None:
        return person(complaint.decided_by)

    def get_answered_by(self, complaint: Complaint) -> str | None:
        return person(complaint.answered_by)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(STAFF_ACTIONS)))
    )
    def get_actions(self, complaint: Complaint) -> list[str]:
        return complaint_actions(complaint, self.context["user"], reach=self.context["reach"])


class ComplaintPagination(CursorPagination):
    """Newest first by an opaque cursor, no total: the indexes on (center | department,
    filed_at, id)."""

    ordering = ("-filed_at", "-id")
    page_size = api_settings.PAGE_SIZE


class ComplaintRecordSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=SHORT_TEXT, allow_blank=True)
    phone = serializers.CharField(max_length=PHONE_LIMIT, allow_blank=True)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    content = serializers.CharField(allow_blank=True)
    department = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Required without a case number."),
    )
    case_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=gettext_lazy("A case of your center the caller names; its department then."),
    )


class ComplaintDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ComplaintAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)


COMPLAINT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Complaint id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Complaints you may see"),
        description=gettext_lazy(
            "A supervision officer's: those of their center and every center below; a "
            "department leader's: those of their department. Newest first."
        ),
        responses={
            200: ComplaintSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: error_response(gettext_lazy("The cursor is not one this list gave.")),
        },
        tags=["supervision"],
    ),
)
class ComplaintViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Complaints and the department's actions on them."""

    permission_classes = [IsComplaintReaderOrRecorder]
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    pagination_class = ComplaintPagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaints_visible_to(self.request.user).select_related(
            "recorded_by", "decided_by", "answered_by"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "reach": request_reach(self.request),
            "today": shanghai_today(),
        }

    def _answer(self, request: Request, pk: int, status_code: int = 200) -> Response:
        complaint = complaint_get_for(user=request.user, pk=pk)
        return Response(
            ComplaintSerializer(complaint, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        summary=gettext_lazy("One complaint"),
        parameters=[COMPLAINT_ID],
        responses={
            200: ComplaintSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: NO_SUCH_COMPLAINT,
        },
        tags=["supervision"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Record a complaint taken on the phone"),
        description=gettext_lazy(
            "For a window clerk or chief representative of a department of the same center, or "
            "a supervision officer of its tree. The department's leaders are told. Answers the "
            "complaint if you may read it, else only its number and limits."
        ),
        request=ComplaintRecordSerializer,
        responses={
            201: ComplaintSerializer,
            400: ACTION_ERRORS[400],
            401: NOT_LOGGED_IN,
            403: error_response(gettext_lazy("Not one who records complaints for the center.")),
        },
        tags=["supervision"],
    )
    def create(self, request: Request) -> Response:
        parsed = ComplaintRecordSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        data = parsed.validated_data
        centers = recording_centers(request.user, reach=request_reach(request))
        case_pk = None
        number = (data.get("case_number") or "").strip()
        try:
            if number:
                case_pk = (
                    Case.objects.filter(number=number, department__center_id__in=sorted(centers))
                    .values_list("pk", flat=True)
                    .first()
                )
                if case_pk is None:
                    message = gettext_lazy("No case of your center has this number.")
                    raise InvalidInput(str(message)).with_fields({"case_number": [str(message)]})
            complaint = complaint_file(
                by=None,
                name=data["name"],
                phone=data["phone"],
                category=data["category"],
                content=data["content"],
                case=case_pk,
                department=data.get("department"),
                channel=ComplaintChannel.PHONE,
                recorded_by=request.user,
            )
        except WorkflowError as error:
            return refused(error)
        if complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
            return self._answer(request, complaint.pk, status.HTTP_201_CREATED)
        return Response(
            {
                "id": complaint.pk,
                "number": complaint.number,
                "department": complaint.department_id,
                "accept_due_on": complaint.accept_due_on,
                "answer_due_on": complaint.answer_due_on,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=gettext_lazy("Accept a complaint"),
        description=gettext_lazy(
            "For a leader of the department, while it waits to be accepted. The complainant is "
            "told."
        ),
        request=None,
        parameters=[COMPLAINT_ID],
        responses={200: ComplaintSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="accept")
    def accept(self, request: Request, pk: str) -> Response:
        complaint = complaint_get_for(user=request.user, pk=int(pk))
        try:
            complaint_accept(complaint=complaint, by=request.user)
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, complaint.pk)

    @extend_schema(
        summary=gettext_lazy("Decline a complaint with reasons"),
        description=gettext_lazy(
            "For a leader of the department, while it waits to be accepted. The complainant is "
            "told the reasons."
        ),
        request=ComplaintDeclineSerializer,
        parameters=[COMPLAINT_ID],
        responses={200: ComplaintSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="decline")
    def decline(self, request: Request, pk: str) -> Response:
        complaint = complaint_get_for(user=request.user, pk=int(pk))
        parsed = ComplaintDeclineSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            complaint_decline(
                complaint=complaint, by=request.user, reason=parsed.validated_data["reason"]
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, complaint.pk)

    @extend_schema(
        summary=gettext_lazy("Answer an accepted complaint"),
        description=gettext_lazy(
            "For a leader of the department, once it is accepted. The complainant is told to "
            "read and rate the answer."
        ),
        request=ComplaintAnswerSerializer,
        parameters=[COMPLAINT_ID],
        responses={200: ComplaintSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request: Request, pk: str) -> Response:
        complaint = complaint_get_for(user=request.user, pk=int(pk))
        parsed = ComplaintAnswerSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            complaint_answer(
                complaint=complaint, by=request.user, answer=parsed.validated_data["answer"]
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, complaint.pk)
