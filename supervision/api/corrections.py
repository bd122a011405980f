"""Corrections (纠错 / 问责) in the API, under ``/api/v1/supervision/corrections/``: read them,
record one about a card, the department's appeal and the office's review.

Scoped like the pages: a supervision officer reads the corrections of their center and every
center below, a department's leader those of their department; anyone else is refused (403), and
a correction outside the reader's scope is "not found". Every write goes through one service of
``supervision.corrections``; its refusals come back as ``{"detail": message}`` (and ``fields``
for input) with 400, 403 or 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
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
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from approval_center.api_errors import BAD_QUERY, error_response
from workflow.api.action_inputs import MAX_ID
from workflow.api.cases import invalid_input, refused
from workflow.exceptions import InvalidInput, WorkflowError

from ..corrections import (
    ACTIONS,
    APPEALED,
    RECORDED,
    REVOKED,
    UPHELD,
    correction_actions,
    correction_appeal,
    correction_get_for,
    correction_record,
    correction_review,
    correction_stage,
    corrections_in_stage,
    corrections_visible_to,
)
from ..inputs import SHORT_TEXT
from ..models import AlertLevel, AlertRule, AppealReview, Correction, CorrectionOutcome
from ..scope import alerts_for
from .urges import NOT_A_READER, NOT_LOGGED_IN, IsSupervisionReader, person, request_reach

STAGES = [RECORDED, APPEALED, UPHELD, REVOKED]

NO_SUCH_CORRECTION = error_response(gettext_lazy("No correction with this id that you may see."))
ACTION_ERRORS = {
    400: error_response(gettext_lazy("Bad input.")),
    401: NOT_LOGGED_IN,
    403: NOT_A_READER,
    404: NO_SUCH_CORRECTION,
    409: error_response(gettext_lazy("Not possible in the correction's current state.")),
}


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    alert = serializers.IntegerField(source="alert_id", help_text=gettext_lazy("The card's id."))
    alert_level = serializers.ChoiceField(source="alert.level", choices=AlertLevel.choices)
    alert_rule = serializers.ChoiceField(source="alert.rule", choices=AlertRule.choices)
    alert_revoked_on = serializers.DateField(
        source="alert.revoked_on",
        allow_null=True,
        help_text=gettext_lazy("Set when the review revoked the card: it left the statistics."),
    )
    case = serializers.IntegerField(source="alert.case_id", allow_null=True)
    case_number = serializers.SerializerMethodField()
    department = serializers.IntegerField(source="department_id")
    department_code = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    center = serializers.IntegerField(source="center_id")
    outcome = serializers.ChoiceField(choices=CorrectionOutcome.choices)
    responsible_person = serializers.CharField()
    note = serializers.CharField(help_text=gettext_lazy("The office's findings."))
    rectify_by = serializers.DateField(allow_null=True)
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()
    stage = serializers.SerializerMethodField(
        help_text=gettext_lazy("recorded, appealed (waiting for the review), upheld or revoked.")
    )
    appeal_reason = serializers.CharField()
    appealed_by = serializers.SerializerMethodField()
    appealed_at = serializers.DateTimeField(allow_null=True)
    review = serializers.CharField(help_text=gettext_lazy("Empty, upheld or revoked."))
    review_note = serializers.CharField()
    reviewed_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take on the correction now, each the name of its endpoint "
            "(POST corrections/{id}/<name>/): appeal, review."
        )
    )

    def get_case_number(self, correction: Correction) -> str | None:
        case = correction.alert.case
        return case.number if case is not None else None

    def get_recorded_by(self, correction: Correction) -> str | None:
        return person(correction.recorded_by)

    def get_appealed_by(self, correction: Correction) -> str | None:
        return person(correction.appealed_by)

    def get_reviewed_by(self, correction: Correction) -> str | None:
        return person(correction.reviewed_by)

    @extend_schema_field(serializers.ChoiceField(choices=STAGES))
    def get_stage(self, correction: Correction) -> str:
        return correction_stage(correction)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ACTIONS)))
    )
    def get_actions(self, correction: Correction) -> list[str]:
        return correction_actions(correction, self.context["user"], reach=self.context["reach"])


class CorrectionFilter(django_filters.FilterSet):
    department = django_filters.NumberFilter(
        field_name="department_id",
        label=gettext_lazy("Department id"),
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
    )
    alert = django_filters.NumberFilter(
        field_name="alert_id",
        label=gettext_lazy("Card id"),
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
    )
    outcome = django_filters.ChoiceFilter(
        choices=CorrectionOutcome.choices, label=gettext_lazy("Outcome")
    )
    stage = django_filters.ChoiceFilter(
        choices=[(stage, stage) for stage in STAGES],
        method="filter_stage",
        label=gettext_lazy("Stage"),
    )

    class Meta:
        model = Correction
        fields = ["department", "alert", "outcome", "stage"]

    def filter_stage(self, queryset: QuerySet[Correction], name: str, value: str):
        return corrections_in_stage(queryset, value) if value else queryset


class CorrectionPagination(CursorPagination):
    """Newest first by an opaque cursor, no total: the indexes on (center | department,
    recorded_at, id)."""

    ordering = ("-recorded_at", "-id")
    page_size = api_settings.PAGE_SIZE


class CorrectionRecordSerializer(serializers.Serializer):
    alert = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("The id of a yellow or red card.")
    )
    outcome = serializers.ChoiceField(choices=CorrectionOutcome.choices)
    responsible_person = serializers.CharField(
        max_length=SHORT_TEXT,
        error_messages={"blank": gettext_lazy("Name the person responsible.")},
    )
    note = serializers.CharField(
        help_text=gettext_lazy("The office's findings."),
        error_messages={"blank": gettext_lazy("Write the office's findings.")},
    )
    rectify_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Required for a rectification (rectify): a day after today."),
    )


class CorrectionAppealSerializer(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={"blank": gettext_lazy("Say why the department appeals.")}
    )


class CorrectionReviewSerializer(serializers.Serializer):
    review = serializers.ChoiceField(choices=AppealReview.choices)
    note = serializers.CharField(
        error_messages={"blank": gettext_lazy("Give the reasons of the review.")}
    )


CORRECTION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Correction id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Corrections you may see"),
        description=gettext_lazy(
            "A supervision officer's: those of their center and every center below; a "
            "department leader's: those of their department. Newest first."
        ),
        responses={
            200: CorrectionSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: error_response(gettext_lazy("The cursor is not one this list gave.")),
        },
        tags=["supervision"],
    ),
)
class CorrectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Corrections and the actions on them."""

    permission_classes = [IsSupervisionReader]
    queryset = Correction.objects.none()
    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter
    pagination_class = CorrectionPagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Correction]:
        return corrections_visible_to(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "reach": request_reach(self.request),
        }

    def _answer(self, request: Request, pk: int, status_code: int = 200) -> Response:
        correction = correction_get_for(user=request.user, pk=pk)
        return Response(
            CorrectionSerializer(correction, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        summary=gettext_lazy("One correction with its card, appeal and review"),
        parameters=[CORRECTION_ID],
        responses={
            200: CorrectionSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: NO_SUCH_CORRECTION,
        },
        tags=["supervision"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Record a correction about a card"),
        description=gettext_lazy(
            "For a supervision officer of the card's center or a center above it; one per "
            "yellow or red card. The department's leaders are told."
        ),
        request=CorrectionRecordSerializer,
        responses={
            201: CorrectionSerializer,
            400: ACTION_ERRORS[400],
            401: NOT_LOGGED_IN,
            403: error_response(
                gettext_lazy("Not a supervision officer of the card's center or above.")
            ),
            409: error_response(
                gettext_lazy("A reminder, a revoked card, or a card with a correction already.")
            ),
        },
        tags=["supervision"],
    )
    def create(self, request: Request) -> Response:
        parsed = CorrectionRecordSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        data = parsed.validated_data
        alert = alerts_for(request.user).filter(pk=data["alert"]).first()
        try:
            if alert is None:
                message = _("No card you may see has this id.")
                raise InvalidInput(message).with_fields({"alert": [message]})
            correction = correction_record(
                by=request.user,
                alert=alert,
                outcome=data["outcome"],
                responsible_person=data["responsible_person"],
                note=data["note"],
                rectify_by=data.get("rectify_by"),
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, correction.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Appeal a correction"),
        description=gettext_lazy(
            "For a leader of the department concerned, once. The supervision officers of its "
            "tree are told."
        ),
        request=CorrectionAppealSerializer,
        parameters=[CORRECTION_ID],
        responses={200: CorrectionSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="appeal")
    def appeal(self, request: Request, pk: str) -> Response:
        correction = correction_get_for(user=request.user, pk=int(pk))
        parsed = CorrectionAppealSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            correction_appeal(
                correction=correction, by=request.user, reason=parsed.validated_data["reason"]
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, correction.pk)

    @extend_schema(
        summary=gettext_lazy("Review the appeal of a correction"),
        description=gettext_lazy(
            "For a supervision officer of the department's center or above, after the appeal: "
            "upheld keeps the correction and the card; revoked revokes the card from today, so "
            "it leaves the statistics, and resolves it."
        ),
        request=CorrectionReviewSerializer,
        parameters=[CORRECTION_ID],
        responses={200: CorrectionSerializer, **ACTION_ERRORS},
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str) -> Response:
        correction = correction_get_for(user=request.user, pk=int(pk))
        parsed = CorrectionReviewSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            correction_review(
                correction=correction,
                by=request.user,
                review=parsed.validated_data["review"],
                note=parsed.validated_data["note"],
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, correction.pk)
