"""The applicant's own API, under /api/v1/me/."""

from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="api-me-profile"),
    path("drafts/", views.DraftListView.as_view(), name="api-me-drafts"),
    path("drafts/<int:draft_id>/", views.DraftView.as_view(), name="api-me-draft"),
    path(
        "drafts/<int:draft_id>/materials/<int:material_id>/files/",
        views.DraftFileView.as_view(),
        name="api-me-draft-files",
    ),
    path(
        "drafts/<int:draft_id>/materials/<int:material_id>/reuse/",
        views.DraftReuseView.as_view(),
        name="api-me-draft-reuse",
    ),
    path(
        "drafts/<int:draft_id>/materials/<int:material_id>/files/<int:file_id>/",
        views.DraftFileRemoveView.as_view(),
        name="api-me-draft-file",
    ),
    path("drafts/<int:draft_id>/submit/", views.DraftSubmitView.as_view(), name="api-me-submit"),
    path("cases/", views.CaseListView.as_view(), name="api-me-cases"),
    path("cases/<int:case_id>/", views.CaseView.as_view(), name="api-me-case"),
    path(
        "cases/<int:case_id>/delivery/",
        views.CaseDeliveryView.as_view(),
        name="api-me-case-delivery",
    ),
    path(
        "cases/<int:case_id>/pending/",
        views.CasePendingMaterialView.as_view(),
        name="api-me-case-pending",
    ),
    path(
        "cases/<int:case_id>/withdraw/",
        views.CaseWithdrawView.as_view(),
        name="api-me-case-withdraw",
    ),
    path(
        "cases/<int:case_id>/supplement/",
        views.CaseSupplementView.as_view(),
        name="api-me-case-supplement",
    ),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/",
        views.CaseNoticeView.as_view(),
        name="api-me-notice",
    ),
    path(
        "cases/<int:case_id>/files/<int:file_id>/",
        views.CaseFileView.as_view(),
        name="api-me-case-file",
    ),
]
