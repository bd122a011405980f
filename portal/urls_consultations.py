"""The applicant's consultations in the online hall: ask about an item, my questions."""

from django.urls import path

from . import consultation_views as views

urlpatterns = [
    path("items/<str:code>/ask/", views.ask, name="portal-consultation-ask"),
    path("my/consultations/", views.consultation_list, name="portal-consultations"),
    path(
        "my/consultations/<int:consultation_id>/",
        views.consultation_detail,
        name="portal-consultation",
    ),
]
