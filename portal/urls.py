from django.urls import include, path

from workflow import notice_views

from . import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path(
        "my/cases/<int:case_id>/notices/<int:notice_id>/",
        notice_views.applicant_notice,
        name="applicant-notice",
    ),
    path("", include("portal.urls_accounts")),
    path("", include("portal.urls_guides")),
    path("", include("portal.urls_public")),
    path("", include("portal.urls_mycases")),
]
