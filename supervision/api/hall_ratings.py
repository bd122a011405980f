"""The applicant's rating of their own case in the API, beside the hall's "my cases" endpoints:
``GET /api/v1/me/cases/{id}/rating/`` (the scale, whether the case may be rated and until when,
the rating given and its rectification), ``POST`` the same to rate it, and
``POST …/rating/rectification/`` to rate the answered rectification of a poor rating.

Like the pages: only the applicant's own cases exist (404 otherwise), a staff account is
refused (403); the writes are ``rating_submit`` and ``rectification_rate``, whose refusals come
back as ``{"detail", "fields"}`` with 400, 403 or 409."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.views import CASE_ERRORS, READ_ERRORS, MeView, own_case
from workflow.api.cases import invalid_input, refused
from workflow.calendar import shanghai_today
from workflow.exceptions import WorkflowError
from workflow.models import Case

from ..inputs import LONG_TEXT
from ..models import Rating, RatingChannel
from ..ratings import rating_closes_on, rating_refusal, rating_submit
from ..rectification_ratings import rectification_rate, rectification_rate_refusal
from ..rules import rules_in_force
from ..scales import label_of, levels_of

TAG = "me"


class LevelSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()
    poor = serializers.BooleanField()


class GivenSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    poor = serializers.BooleanField()
    comment = serializers.CharField()
    channel = serializers.CharField(help_text=gettext_lazy("online, link, kiosk or default"))
    rated_at = serializers.DateTimeField()


class MyRectificationSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_display = serializers.CharField()
    opened_on = serializers.DateField()
    due_on = serializers.DateField()
    answer = serializers.CharField()
    callback_note = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)
    applicant_level = serializers.IntegerField(allow_null=True)
    applicant_comment = serializers.CharField()
    may_rate = serializers.BooleanField()


class MyRatingSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    scale = serializers.CharField()
    levels = LevelSerializer(many=True)
    may_rate = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True)
    closes_on = serializers.DateField(allow_null=True)
    rating = GivenSerializer(allow_null=True)
    rectification = MyRectificationSerializer(allow_null=True)


class RateSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)


def _levels(scale: str) -> list[dict[str, Any]]:
    return [
        {"value": level.value, "label": str(level.label), "poor": level.poor}
        for level in levels_of(scale)
    ]


def rating_answer(case: Case, user: Any) -> dict[str, Any]:
    """What the applicant reads of the rating of ``case``."""
    today = shanghai_today()
    rules = rules_in_force(today)
    rating = Rating.objects.select_related("rectification").filter(case_id=case.pk).first()
    refusal = rating_refusal(
        case, user=user, channel=RatingChannel.ONLINE, today=today, rules=rules
    )
    body: dict[str, Any] = {
        "case": case.pk,
        "scale": rating.scale if rating else rules.rating_scale,
        "levels": _levels(rating.scale if rating else rules.rating_scale),
        "may_rate": refusal is None,
        "refusal": None if refusal is None else str(refusal.message),
        "closes_on": rating_closes_on(case, rules),
        "rating": None,
        "rectification": None,
    }
    if rating is None:
        return body
    body["rating"] = {
        "level": rating.level,
        "label": label_of(rating.scale, rating.level),
        "poor": rating.poor,
        "comment": rating.comment,
        "channel": rating.channel,
        "rated_at": rating.rated_at,
    }
    rectification = getattr(rating, "rectification", None) if rating.poor else None
    if rectification is not None:
        body["rectification"] = {
            "status": rectification.status,
            "status_display": rectification.get_status_display(),
            "opened_on": rectification.opened_on,
            "due_on": rectification.due_on,
            "answer": rectification.answer,
            "callback_note": rectification.callback_note,
            "answered_on": rectification.answered_on,
            "applicant_level": rectification.applicant_level,
            "applicant_comment": rectification.applicant_comment,
            "may_rate": rectification_rate_refusal(rectification, user=user) is None,
        }
    return body


def _answer(case: Case, user: Any, code: int = 200) -> Response:
    return Response(MyRatingSerializer(rating_answer(case, user)).data, status=code)


class MyCaseRatingView(MeView):
    @extend_schema(
        summary=gettext_lazy("The rating of one of your cases"),
        description=gettext_lazy(
            "The scale and its levels, whether you may rate the case now and until when, the "
            "rating given and, for a poor one, its rectification."
        ),
        responses={200: MyRatingSerializer, **READ_ERRORS, 404: CASE_ERRORS[404]},
        tags=[TAG],
    )
    def get(self, request: Request, case_id: int) -> Response:
        return _answer(own_case(request.user, case_id), request.user)

    @extend_schema(
        summary=gettext_lazy("Rate one of your cases"),
        description=gettext_lazy(
            "Once, after the result was handed over and within the time to rate; a poor "
            "rating opens a rectification for the department."
        ),
        request=RateSerializer,
        responses={201: MyRatingSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        data = RateSerializer(data=request.data)
        if not data.is_valid():
            return invalid_input(data.errors)
        try:
            rating_submit(
                case=case,
                level=data.validated_data["level"],
                comment=data.validated_data.get("comment", ""),
                channel=RatingChannel.ONLINE,
                by=request.user,
            )
        except WorkflowError as error:
            return refused(error)
        return _answer(case, request.user, 201)


class MyRectificationRatingView(MeView):
    @extend_schema(
        summary=gettext_lazy("Rate the rectification of your poor rating"),
        description=gettext_lazy(
            "Once, after the department answered it, on the scale of the rating."
        ),
        request=RateSerializer,
        responses={200: MyRatingSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        rating = Rating.objects.select_related("rectification").filter(case_id=case.pk).first()
        rectification = getattr(rating, "rectification", None) if rating is not None else None
        if rectification is None:
            return Response(
                {"detail": str(gettext_lazy("This case has no rectification to rate."))},
                status=409,
            )
        data = RateSerializer(data=request.data)
        if not data.is_valid():
            return invalid_input(data.errors)
        try:
            rectification_rate(
                rectification=rectification,
                level=data.validated_data["level"],
                comment=data.validated_data.get("comment", ""),
                by=request.user,
            )
        except WorkflowError as error:
            return refused(error)
        return _answer(case, request.user)
