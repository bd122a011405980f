"""Supervision's pages in the online hall, at the hall's addresses: rating a case, complaints,
the rating kiosk and the public efficiency page. Supervision owns their records and write
paths, so it owns these pages too; they use the hall's layout."""

from django.urls import include, path

urlpatterns = [
    path("", include("supervision.urls_hall_ratings")),
    path("", include("supervision.urls_hall_complaints")),
    path("kiosk/", include("supervision.urls_kiosk")),
    path("", include("supervision.urls_public")),
]
