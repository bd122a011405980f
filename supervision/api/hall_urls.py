"""The applicant's rating endpoints, mounted under /api/v1/me/ beside the hall's own."""

from django.urls import path

from .hall_ratings import MyCaseRatingView, MyRectificationRatingView

urlpatterns = [
    path("cases/<int:case_id>/rating/", MyCaseRatingView.as_view(), name="api-me-case-rating"),
    path(
        "cases/<int:case_id>/rating/rectification/",
        MyRectificationRatingView.as_view(),
        name="api-me-case-rectification-rating",
    ),
]
