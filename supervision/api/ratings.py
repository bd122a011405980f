"""Ratings (好差评) and their rectifications (整改) in the API, under
``/api/v1/supervision/ratings/`` and ``/api/v1/supervision/rectifications/``: read them, the
department's appeal of a rating and the office's review of it, the department's answer to a
rectification.

Scoped like the pages: a supervision officer reads those of their center and every center below,
a department's leader those of their department; anyone else is refused (403), and a row outside
the reader's scope is "not found". The filters are the pages' own (``supervision.rating_forms``).
Every write goes through one service of ``supervision.rectifications``; its refusals come back as
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
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from approval_center.api_errors import BAD_QUERY, error_response
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import WorkflowError

from ..models import (
    AppealDecision,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
from ..rating_forms import RatingFilter, RectificationFilter
from ..rectifications import (
    APPEAL_STAGES,
    RATING_ACTIONS,
    RECTIFICATION_ACTIONS,
    appeal_stage,
    level_label,
    rating_actions,
    rating_appeal,
    rating_get_for,
    rating_review,
    ratings_visible_to,
    rectification_actions,
    rectification_answer,
    rectification_answered_late,
    rectification_get_for,
    rectification_overdue,
    rectifications_visible_to,
)
from ..scales import Scale
from .urges import NOT_A_READER, NOT_LOGGED_IN, IsSupervisionReader, person, request_reach

NO_SUCH_RATING = error_response(gettext_lazy("No rating with this id that you may see."))
NO_SUCH_RECTIFICATION = error_response(
    gettext_lazy("No rectification with this id that you may see.")
)
BAD_CURSOR = error_response(gettext_lazy("The cursor is not one this list gave."))


def _errors(not_found: Any, conflict: Any) -> dict[int, Any]:
    return {
        400: error_response(gettext_lazy("Bad input.")),
        401: NOT_LOGGED_IN,
        403: NOT_A_READER,
        404: not_found,
        409: conflict,
    }


class RectificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField(source="rating_id")
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number", allow_null=True)
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    center = serializers.IntegerField(source="center_id")
    status = serializers.ChoiceField(choices=RectificationStatus.choices)
    opened_on = serializers.DateField()
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField(help_text=gettext_lazy("Open past its due date."))
    answer = serializers.CharField(help_text=gettext_lazy("What was found and put right."))
    callback_note = serializers.CharField(
        help_text=gettext_lazy("The call-back to the applicant (回访).")
    )
    answered_by = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    answered_late = serializers.SerializerMethodField(
        help_text=gettext_lazy("Answered after its due date (taken, and kept late).")
    )
    applicant_level = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("The applicant's rating of the rectification, once given."),
    )
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take now, each the name of its endpoint "
            "(POST rectifications/{id}/<name>/): answer."
        )
    )

    def get_overdue(self, rectification: Rectification) -> bool:
        return rectification_overdue(rectification, self.context["today"])

    def get_answered_by(self, rectification: Rectification) -> str | None:
        return person(rectification.answered_by)

    def get_answered_late(self, rectification: Rectification) -> bool:
        return rectification_answered_late(rectification)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(RECTIFICATION_ACTIONS)))
    )
    def get_actions(self, rectification: Rectification) -> list[str]:
        return rectification_actions(rectification, self.context["user"], self.context["reach"])


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number", allow_null=True)
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    center = serializers.IntegerField(source="center_id")
    window = serializers.IntegerField(source="window_id", allow_null=True)
    window_number = serializers.SerializerMethodField()
    staff = serializers.SerializerMethodField(
        help_text=gettext_lazy("The clerk who handed the result over, when known.")
    )
    scale = serializers.ChoiceField(choices=Scale.choices)
    level = serializers.IntegerField(help_text=gettext_lazy("The highest is the best."))
    level_label = serializers.SerializerMethodField()
    poor = serializers.BooleanField(help_text=gettext_lazy("A poor rating (差评)."))
    comment = serializers.CharField()
    channel = serializers.ChoiceField(choices=RatingChannel.choices)
    rated_at = serializers.DateTimeField()
    rectification = serializers.SerializerMethodField()
    appeal_stage = serializers.SerializerMethodField(
        help_text=gettext_lazy("none, appealed (waiting for the review), upheld or dismissed.")
    )
    appeal_reason = serializers.CharField()
    appealed_by = serializers.SerializerMethodField()
    appealed_at = serializers.DateTimeField(allow_null=True)
    appeal_decision = serializers.CharField(help_text=gettext_lazy("Empty, upheld or dismissed."))
    review_note = serializers.CharField()
    reviewed_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    excluded = serializers.BooleanField(
        help_text=gettext_lazy("Left out of the statistics: the appeal was upheld.")
    )
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take now, each the name of its endpoint "
            "(POST ratings/{id}/<name>/): appeal, review."
        )
    )

    def get_window_number(self, rating: Rating) -> str | None:
        return rating.window.number if rating.window_id else None

    def get_staff(self, rating: Rating) -> str | None:
        return person(rating.staff)

    def get_level_label(self, rating: Rating) -> str:
        return level_label(rating)

    @extend_schema_field(RectificationSerializer(allow_null=True))
    def get_rectification(self, rating: Rating) -> dict | None:
        found = getattr(rating, "rectification", None)
        if found is None:
            return None
        return RectificationSerializer(found, context=self.context).data

    @extend_schema_field(serializers.ChoiceField(choices=list(APPEAL_STAGES)))
    def get_appeal_stage(self, rating: Rating) -> str:
        return appeal_stage(rating)

    def get_appealed_by(self, rating: Rating) -> str | None:
        return person(rating.appealed_by)

    def get_reviewed_by(self, rating: Rating) -> str | None:
        return person(rating.reviewed_by)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(RATING_ACTIONS)))
    )
    def get_actions(self, rating: Rating) -> list[str]:
        return rating_actions(
            rating, self.context["user"], self.context["reach"], today=self.context["today"]
        )


class RatingAppealSerializer(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={"blank": gettext_lazy("Say why the department appeals.")}
    )


class RatingReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    note = serializers.CharField(
        error_messages={"blank": gettext_lazy("Give the reasons of the review.")}
    )


class RectificationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(
        help_text=gettext_lazy("What was found and put right."),
        error_messages={"blank": gettext_lazy("Say what the department found and put right.")},
    )
    callback_note = serializers.CharField(
        help_text=gettext_lazy("The call-back to the applicant (回访)."),
        error_messages={"blank": gettext_lazy("Say how the applicant was called back.")},
    )


class RatingPagination(CursorPagination):
    """Newest first by an opaque cursor, no total: the indexes on (center | department,
    rated_at, id)."""

    ordering = ("-rated_at", "-id")
    page_size = api_settings.PAGE_SIZE


class RectificationPagination(CursorPagination):
    """Newest first by an opaque cursor: the indexes on (center | department, opened_on, id)."""

    ordering = ("-opened_on", "-id")
    page_size = api_settings.PAGE_SIZE


class _Scoped(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsSupervisionReader]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "reach": request_reach(self.request),
            "today": shanghai_today(),
        }


RATING_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Rating id.")
)
RECTIFICATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=gettext_lazy("Rectification id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Ratings you may see"),
        description=gettext_lazy(
            "A supervision officer's: those of their center and every center below; a "
            "department leader's: those of their department. Newest first; the filters are "
            "those of the ratings page (month as YYYY-MM, poor=yes|no, appeal=none|appealed|"
            "upheld|dismissed)."
        ),
        responses={
            200: RatingSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: BAD_CURSOR,
        },
        tags=["supervision"],
    ),
)
class RatingViewSet(_Scoped):
    """Ratings, the department's appeal and the office's review."""

    queryset = Rating.objects.none()
    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    pagination_class = RatingPagination

    def get_queryset(self) -> QuerySet[Rating]:
        return ratings_visible_to(self.request.user)

    def _answer(self, request: Request, pk: int) -> Response:
        rating = rating_get_for(user=request.user, pk=pk)
        return Response(RatingSerializer(rating, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=gettext_lazy("One rating with its rectification, appeal and review"),
        parameters=[RATING_ID],
        responses={
            200: RatingSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: NO_SUCH_RATING,
        },
        tags=["supervision"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Appeal a poor rating"),
        description=gettext_lazy(
            "For a leader of the department rated, once, within ten working days of the "
            "rating. The supervision officers of its tree are told."
        ),
        request=RatingAppealSerializer,
        parameters=[RATING_ID],
        responses={
            200: RatingSerializer,
            **_errors(
                NO_SUCH_RATING,
                error_response(
                    gettext_lazy("Not a poor rating, appealed already, or too late to appeal.")
                ),
            ),
        },
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="appeal")
    def appeal(self, request: Request, pk: str) -> Response:
        rating = rating_get_for(user=request.user, pk=int(pk))
        parsed = RatingAppealSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            rating_appeal(rating=rating, by=request.user, reason=parsed.validated_data["reason"])
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, rating.pk)

    @extend_schema(
        summary=gettext_lazy("Review the appeal of a rating"),
        description=gettext_lazy(
            "For a supervision officer of the rating's center or above, after the appeal: "
            "upheld excludes the rating from the statistics and cancels its open "
            "rectification; dismissed keeps both."
        ),
        request=RatingReviewSerializer,
        parameters=[RATING_ID],
        responses={
            200: RatingSerializer,
            **_errors(
                NO_SUCH_RATING,
                error_response(gettext_lazy("Not appealed, or reviewed already.")),
            ),
        },
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request: Request, pk: str) -> Response:
        rating = rating_get_for(user=request.user, pk=int(pk))
        parsed = RatingReviewSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            rating_review(
                rating=rating,
                by=request.user,
                decision=parsed.validated_data["decision"],
                note=parsed.validated_data["note"],
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, rating.pk)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Rectifications you may see"),
        description=gettext_lazy(
            "Those of the poor ratings of your centers' departments (an officer) or of your "
            "department (a leader). Newest first; status=open|overdue|answered|late|"
            "cancelled|all."
        ),
        responses={
            200: RectificationSerializer(many=True),
            400: BAD_QUERY,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: BAD_CURSOR,
        },
        tags=["supervision"],
    ),
)
class RectificationViewSet(_Scoped):
    """Rectifications of poor ratings and the department's answer."""

    queryset = Rectification.objects.none()
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter
    pagination_class = RectificationPagination

    def get_queryset(self) -> QuerySet[Rectification]:
        return rectifications_visible_to(self.request.user)

    def _answer(self, request: Request, pk: int) -> Response:
        rectification = rectification_get_for(user=request.user, pk=pk)
        return Response(
            RectificationSerializer(rectification, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary=gettext_lazy("One rectification"),
        parameters=[RECTIFICATION_ID],
        responses={
            200: RectificationSerializer,
            401: NOT_LOGGED_IN,
            403: NOT_A_READER,
            404: NO_SUCH_RECTIFICATION,
        },
        tags=["supervision"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Answer a rectification"),
        description=gettext_lazy(
            "For a leader of the department rated, once, while it is open: what was put right "
            "and the call-back to the applicant. A late answer is taken and kept late. The "
            "applicant and the supervision officers of the tree are told."
        ),
        request=RectificationAnswerSerializer,
        parameters=[RECTIFICATION_ID],
        responses={
            200: RectificationSerializer,
            **_errors(
                NO_SUCH_RECTIFICATION,
                error_response(gettext_lazy("Answered already, or cancelled on appeal.")),
            ),
        },
        tags=["supervision"],
    )
    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request: Request, pk: str) -> Response:
        rectification = rectification_get_for(user=request.user, pk=int(pk))
        parsed = RectificationAnswerSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            rectification_answer(
                rectification=rectification,
                by=request.user,
                answer=parsed.validated_data["answer"],
                callback_note=parsed.validated_data["callback_note"],
            )
        except WorkflowError as error:
            return refused(error)
        return self._answer(request, rectification.pk)
