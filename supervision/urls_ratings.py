"""Staff pages of ratings, rectifications and appeals, under /staff/supervision/."""

from django.urls import path

from . import rating_views

urlpatterns = [
    path("ratings/", rating_views.rating_list, name="supervision-ratings"),
    path(
        "ratings/statistics/",
        rating_views.rating_statistics,
        name="supervision-rating-statistics",
    ),
    path("ratings/<int:pk>/", rating_views.rating_detail, name="supervision-rating"),
    path(
        "ratings/<int:pk>/appeal/",
        rating_views.rating_appeal_view,
        name="supervision-rating-appeal",
    ),
    path(
        "ratings/<int:pk>/review/",
        rating_views.rating_review_view,
        name="supervision-rating-review",
    ),
    path("rectifications/", rating_views.rectification_list, name="supervision-rectifications"),
    path(
        "rectifications/<int:pk>/",
        rating_views.rectification_detail,
        name="supervision-rectification",
    ),
    path(
        "rectifications/<int:pk>/answer/",
        rating_views.rectification_answer_view,
        name="supervision-rectification-answer",
    ),
]
