"""The applicant's own complaints in the API, under ``/api/v1/me/complaints/``: list and read
them, file one (about one of their cases, or a department), and rate the department's answer
once (``POST …/{id}/rate/``).

Like the hall's pages: only the applicant's own complaints exist (404 otherwise), a staff
account is refused (403); the writes are ``complaint_file`` and ``complaint_rate``, whose
refusals come back as ``{"detail", "fields"}`` with 400, 403 or 409. Filing is throttled per
address and per account like the hall's form.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from approval_center.api_errors import THROTTLED, error_response
from approval_center.throttling import ComplaintThrottle
from portal.access import applicant_profile
from portal.api.views import IsApplicant
from workflow.api.action_inputs import MAX_ID
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import ActionForbidden, WorkflowError

from ..complaints import (
    RATE,
    complaint_due,
    complaint_file,
    complaint_get_for_applicant,
    complaint_rate,
    complaint_refusal,
    complaints_of_applicant,
    rating_label,
)
from ..inputs import LONG_TEXT
from ..models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus

TAG = "me"
NO_SUCH_COMPLAINT = error_response(gettext_lazy("No complaint of yours has this id."))
NOT_AN_APPLICANT = error_response(gettext_lazy("Not an applicant's account."))


class MyComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    content = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.SerializerMethodField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    filed_at = serializers.DateTimeField()
    accept_due_on = serializers.DateField()
    answer_due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    decided_on = serializers.DateField(allow_null=True)
    decline_reason = serializers.CharField()
    answer = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)
    rating = serializers.IntegerField(source="complainant_level", allow_null=True)
    rating_label = serializers.SerializerMethodField()
    rating_comment = serializers.CharField(source="complainant_comment")
    may_rate = serializers.SerializerMethodField()

    def get_case_number(self, complaint: Complaint) -> str | None:
        return complaint.case.number if complaint.case is not None else None

    def get_overdue(self, complaint: Complaint) -> bool:
        return complaint_due(complaint, today=shanghai_today())["overdue"]

    def get_rating_label(self, complaint: Complaint) -> str:
        return rating_label(complaint)

    def get_may_rate(self, complaint: Complaint) -> bool:
        return complaint_refusal(RATE, complaint, self.context["request"].user) is None


class MyComplaintFileSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    content = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)
    case = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("One of your cases; the complaint then goes to its department."),
    )
    department = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The department complained about, when there is no case."),
    )


class MyComplaintRateSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)


class MyComplaintPagination(CursorPagination):
    ordering = ("-filed_at", "-id")
    page_size = api_settings.PAGE_SIZE


COMPLAINT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Complaint id.")
)
ERRORS = {
    400: error_response(gettext_lazy("Bad input.")),
    401: error_response(gettext_lazy("Not logged in.")),
    403: NOT_AN_APPLICANT,
    404: NO_SUCH_COMPLAINT,
    409: error_response(gettext_lazy("Not possible in the complaint's current state.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Your complaints"),
        description=gettext_lazy("The complaints you filed, newest first, by cursor pages."),
        responses={
            200: MyComplaintSerializer(many=True),
            401: ERRORS[401],
            403: ERRORS[403],
            404: error_response(gettext_lazy("The cursor is not one this list gave.")),
        },
        tags=[TAG],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One of your complaints"),
        parameters=[COMPLAINT_ID],
        responses={
            200: MyComplaintSerializer,
            401: ERRORS[401],
            403: ERRORS[403],
            404: ERRORS[404],
        },
        tags=[TAG],
    ),
)
class MyComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in applicant's complaints."""

    permission_classes = [IsApplicant]
    serializer_class = MyComplaintSerializer
    pagination_class = MyComplaintPagination
    queryset = Complaint.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaints_of_applicant(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ComplaintThrottle())
        return throttles

    def get_object(self) -> Complaint:
        return complaint_get_for_applicant(
            user=self.request.user, pk=int(self.kwargs[self.lookup_field])
        )

    def _answer(self, request: Request, pk: int, code: int = 200) -> Response:
        complaint = complaint_get_for_applicant(user=request.user, pk=pk)
        return Response(
            MyComplaintSerializer(complaint, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(
        summary=gettext_lazy("File a complaint"),
        description=gettext_lazy(
            "About one of your cases (it goes to the case's department) or a department; your "
            "name and phone are your account's. The department accepts or declines it with "
            "reasons, then answers it, within the limits in working days; you are told by SMS."
        ),
        request=MyComplaintFileSerializer,
        responses={
            201: MyComplaintSerializer,
            **{k: ERRORS[k] for k in (400, 401, 403)},
            429: THROTTLED,
        },
        tags=[TAG],
    )
    def create(self, request: Request) -> Response:
        parsed = MyComplaintFileSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        profile = applicant_profile(request.user)
        try:
            if profile is None:
                raise ActionForbidden(
                    _("This account has no applicant particulars; it cannot file a complaint.")
                )
            data = parsed.validated_data
            complaint = complaint_file(
                by=request.user,
                name=profile.name,
                phone=profile.phone,
                category=data["category"],
                content=data["content"],
                case=data.get("case"),
                department=data.get("department"),
                channel=ComplaintChannel.ONLINE,
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, complaint.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Rate the answer to your complaint"),
        description=gettext_lazy(
            "Once, after the department answered, on the rating scale in force."
        ),
        request=MyComplaintRateSerializer,
        parameters=[COMPLAINT_ID],
        responses={200: MyComplaintSerializer, **ERRORS},
        tags=[TAG],
    )
    @action(detail=True, methods=["post"], url_path="rate")
    def rate(self, request: Request, pk: str) -> Response:
        complaint = complaint_get_for_applicant(user=request.user, pk=int(pk))
        parsed = MyComplaintRateSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            complaint_rate(
                complaint=complaint,
                by=request.user,
                level=parsed.validated_data["level"],
                comment=parsed.validated_data.get("comment", ""),
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, complaint.pk)
