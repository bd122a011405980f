"""The online hall's guides pages."""

from django.urls import path

from . import guide_views, search_views

urlpatterns = [
    path("items/", search_views.item_search, name="portal-item-search"),
    path("items/<str:code>/", guide_views.item_guide, name="portal-item-guide"),
    path("joint-items/<str:code>/", guide_views.joint_item_guide, name="portal-joint-guide"),
]
