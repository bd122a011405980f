"""Supervision pages: the Excel exports of the alerts and urge lists, and the user's export jobs."""

from django.urls import path

from . import export_views

urlpatterns = [
    path(
        "exports/alerts.xlsx",
        export_views.export_file,
        {"kind": "alerts"},
        name="supervision-export-alerts",
    ),
    path(
        "exports/urges.xlsx",
        export_views.export_file,
        {"kind": "urges"},
        name="supervision-export-urges",
    ),
    path(
        "exports/ratings.xlsx",
        export_views.export_file,
        {"kind": "ratings"},
        name="supervision-export-ratings",
    ),
    path(
        "exports/rectifications.xlsx",
        export_views.export_file,
        {"kind": "rectifications"},
        name="supervision-export-rectifications",
    ),
    path("exports/", export_views.export_jobs, name="supervision-exports"),
    path("exports/<int:pk>/", export_views.export_job, name="supervision-export-job"),
    path(
        "exports/<int:pk>/progress/",
        export_views.export_job_progress,
        name="supervision-export-progress",
    ),
    path("exports/<int:pk>/file/", export_views.export_job_file, name="supervision-export-file"),
]
