"""The supervision office's pages, under /staff/supervision/."""

from django.urls import include, path

urlpatterns = [
    path("", include("supervision.urls_monitor")),
    path("", include("supervision.urls_urges")),
    path("", include("supervision.urls_exports")),
    path("", include("supervision.urls_ratings")),
    path("", include("supervision.urls_complaints")),
    path("", include("supervision.urls_performance")),
]
