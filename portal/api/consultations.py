"""The applicant's consultations in the API (``/api/v1/me/consultations/``): the questions they
asked, asking a new one about an item, and one question with its answer.

Only the applicant's own questions exist here: anyone else's is "not found". Asking goes through
``portal.consultations.consultation_ask``, throttled per address and per account like the
hall's form; its refusals come back as ``{"detail", "fields"}`` with their status.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from approval_center.api_errors import THROTTLED, error_response
from approval_center.throttling import ConsultationThrottle
from catalog.api.serializers import DepartmentRefSerializer
from workflow.api.cases import invalid_input, refused
from workflow.exceptions import WorkflowError

from ..consultations import (
    consultation_ask,
    consultation_get_for_applicant,
    consultations_for_applicant,
)
from ..models import Consultation, ConsultationStatus
from ..models.consultations import QUESTION_MAX_LENGTH
from .views import IsApplicant


class ConsultationSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(
        source="item_version.name",
        help_text=gettext_lazy("The item's name in the version the question was asked about."),
    )
    department = DepartmentRefSerializer()
    status = serializers.ChoiceField(
        choices=ConsultationStatus.choices,
        help_text=gettext_lazy("open until the department answers, then answered."),
    )
    due_on = serializers.DateField(
        help_text=gettext_lazy("The last working day for the department's answer.")
    )
    answer = serializers.CharField(help_text=gettext_lazy("Empty until answered."))
    answered_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "item_code",
            "item_name",
            "department",
            "question",
            "asked_at",
            "due_on",
            "status",
            "answer",
            "answered_at",
        ]


class ConsultationAskSerializer(serializers.Serializer):
    item_code = serializers.CharField(
        max_length=40, help_text=gettext_lazy("The code of a published item.")
    )
    question = serializers.CharField(max_length=QUESTION_MAX_LENGTH)


class ConsultationPagination(CursorPagination):
    """Newest first by an opaque cursor, no total: the index on (applicant, asked_at, id)."""

    ordering = ("-asked_at", "-id")
    page_size = api_settings.PAGE_SIZE


NOT_LOGGED_IN = error_response(
    gettext_lazy("Not logged in: no API token or session, or the token expired or was revoked.")
)
CONSULTATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("The question's id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("My questions"),
        description=gettext_lazy("The questions you asked about items, newest first."),
        responses={
            200: ConsultationSerializer(many=True),
            401: NOT_LOGGED_IN,
            403: error_response(gettext_lazy("The account is not an applicant's.")),
            404: error_response(gettext_lazy("The cursor is not one this list gave.")),
        },
        tags=["me"],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One of my questions with its answer"),
        description=gettext_lazy(
            "The question, the day the department's answer is due and, once given, the answer."
        ),
        parameters=[CONSULTATION_ID],
        responses={
            200: ConsultationSerializer,
            401: NOT_LOGGED_IN,
            403: error_response(gettext_lazy("The account is not an applicant's.")),
            404: error_response(gettext_lazy("No question of yours has this id.")),
        },
        tags=["me"],
    ),
    create=extend_schema(
        summary=gettext_lazy("Ask a question about an item"),
        description=gettext_lazy(
            "The question goes to the department of the item's current version, which answers "
            "within the configured number of working days; you are told by SMS. For an "
            "applicant's account of the online hall."
        ),
        request=ConsultationAskSerializer,
        responses={
            201: ConsultationSerializer,
            400: error_response(gettext_lazy("Bad input: no such item, or the question is empty.")),
            401: NOT_LOGGED_IN,
            403: error_response(gettext_lazy("The account is not an applicant's.")),
            429: THROTTLED,
        },
        tags=["me"],
    ),
)
class MyConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in applicant's questions."""

    permission_classes = [IsApplicant]
    serializer_class = ConsultationSerializer
    pagination_class = ConsultationPagination
    queryset = Consultation.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Consultation]:
        return consultations_for_applicant(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ConsultationThrottle())
        return throttles

    def get_object(self) -> Consultation:
        return consultation_get_for_applicant(
            user=self.request.user, pk=int(self.kwargs[self.lookup_field])
        )

    def create(self, request: Request) -> Response:
        parsed = ConsultationAskSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            consultation = consultation_ask(applicant=request.user, **parsed.validated_data)
        except WorkflowError as error:
            return refused(error)
        consultation = consultation_get_for_applicant(user=request.user, pk=consultation.pk)
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)
