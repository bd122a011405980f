"""Complaints in the online hall (网上投诉)."""

from django.urls import path

from . import hall_complaint_views as views

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="portal-complaint-new"),
    path("my/complaints/", views.complaint_list, name="portal-complaints"),
    path("my/complaints/<int:pk>/", views.complaint_detail, name="portal-complaint"),
    path("my/complaints/<int:pk>/rate/", views.complaint_rate_view, name="portal-complaint-rate"),
]
