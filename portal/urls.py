from django.urls import include, path

from workflow import notice_views

from . import search_views, views

urlpatterns = [
    path("", views.home, name="portal-home"),
    # The item list is the hall's search (portal/search_views.py); the name stays for the links.
    path("items/", search_views.item_search, name="portal-items"),
    path("themes/<int:theme_id>/", views.theme_detail, name="portal-theme"),
    path("news/", views.news_list, name="portal-news"),
    path("news/<int:announcement_id>/", views.news_detail, name="portal-news-detail"),
    path(
        "my/cases/<int:case_id>/notices/<int:notice_id>/",
        notice_views.applicant_notice,
        name="applicant-notice",
    ),
    path(
        "my/cases/<int:case_id>/notices/<int:notice_id>/pdf/",
        notice_views.applicant_notice_pdf,
        name="applicant-notice-pdf",
    ),
    path("", include("portal.urls_accounts")),
    path("", include("portal.urls_guides")),
    path("", include("portal.urls_public")),
    path("", include("portal.urls_apply")),
    path("", include("portal.urls_mycases")),
    path("", include("portal.urls_consultations")),
]
