"""Staff pages of complaints, under /staff/supervision/."""

from django.urls import path

from . import complaint_views, export_views

urlpatterns = [
    path("complaints/", complaint_views.complaint_list, name="supervision-complaints"),
    path("complaints/new/", complaint_views.complaint_new, name="supervision-complaint-new"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="supervision-complaint"),
    path(
        "complaints/<int:pk>/accept/",
        complaint_views.complaint_accept_view,
        name="supervision-complaint-accept",
    ),
    path(
        "complaints/<int:pk>/decline/",
        complaint_views.complaint_decline_view,
        name="supervision-complaint-decline",
    ),
    path(
        "complaints/<int:pk>/answer/",
        complaint_views.complaint_answer_view,
        name="supervision-complaint-answer",
    ),
    path(
        "exports/complaints.xlsx",
        export_views.export_file,
        {"kind": "complaints"},
        name="supervision-export-complaints",
    ),
]
