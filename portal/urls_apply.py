"""The online hall's apply wizard (网上预审)."""

from django.urls import path

from . import apply_views

urlpatterns = [
    path("apply/drafts/<int:case_id>/", apply_views.draft_resume, name="portal-apply-resume"),
    path(
        "apply/drafts/<int:case_id>/materials/",
        apply_views.draft_materials,
        name="portal-apply-materials",
    ),
    path(
        "apply/drafts/<int:case_id>/review/", apply_views.draft_review, name="portal-apply-review"
    ),
    path("apply/drafts/<int:case_id>/sent/", apply_views.apply_done, name="portal-apply-done"),
    path("apply/<str:code>/", apply_views.apply_start, name="portal-apply"),
]
