"""The workbench's consultation queue, under /staff/consultations/."""

from django.urls import path

from . import staff_consultation_views as views

urlpatterns = [
    path("", views.queue, name="staff-consultations"),
    path("<int:pk>/", views.detail, name="staff-consultation"),
    path("<int:pk>/answer/", views.answer, name="staff-consultation-answer"),
    path("<int:pk>/publish/", views.publish, name="staff-consultation-publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="staff-consultation-unpublish"),
]
