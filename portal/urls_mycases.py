"""The applicant's own cases in the online hall ("my cases")."""

from django.urls import path

from . import mycases_views as views

urlpatterns = [
    path("my/cases/", views.case_list, name="portal-mycases"),
    path("my/cases/<int:case_id>/", views.case_detail, name="portal-mycase"),
    path(
        "my/cases/<int:case_id>/supplement/",
        views.supplement_answer,
        name="portal-mycase-supplement",
    ),
    path("my/cases/<int:case_id>/withdraw/", views.withdraw, name="portal-mycase-withdraw"),
    path(
        "my/cases/<int:case_id>/delivery/",
        views.choose_delivery,
        name="portal-mycase-delivery",
    ),
    path("my/cases/<int:case_id>/pending/", views.supply_pending, name="portal-mycase-pending"),
    path(
        "my/cases/<int:case_id>/files/<int:file_id>/",
        views.case_file,
        name="portal-mycase-file",
    ),
]
