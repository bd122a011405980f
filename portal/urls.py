from django.urls import include, path

from workflow import notice_views

from . import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("items/", views.item_list, name="portal-items"),
    path("themes/<int:theme_id>/", views.theme_detail, name="portal-theme"),
    path("news/", views.news_list, name="portal-news"),
    path("news/<int:announcement_id>/", views.news_detail, name="portal-news-detail"),
    path(
        "my/cases/<int:case_id>/notices/<int:notice_id>/",
        notice_views.applicant_notice,
        name="applicant-notice",
    ),
    path("", include("portal.urls_accounts")),
    path("", include("portal.urls_guides")),
    path("", include("portal.urls_public")),
]
