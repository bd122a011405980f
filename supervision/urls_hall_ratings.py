"""The rating of a case in the online hall: my cases, the link of the completion message."""

from django.urls import path

from . import hall_rating_views as views

urlpatterns = [
    path("my/cases/<int:case_id>/rate/", views.case_rate, name="hall-case-rate"),
    path(
        "my/cases/<int:case_id>/rate/rectification/",
        views.rectification_rate_view,
        name="hall-case-rate-rectification",
    ),
    path("rate/<str:token>/", views.rate_link, name="hall-rate-link"),
]
