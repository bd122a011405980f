"""The online hall's public pages."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("track/", public_views.track, name="portal-track"),
    path("results/", public_views.results, name="portal-results"),
    path("screen/", public_views.screen, name="portal-screen"),
]
