"""The public efficiency page of the online hall."""

from django.urls import path

from . import performance_views

urlpatterns = [
    path("efficiency/", performance_views.efficiency, name="hall-efficiency"),
]
