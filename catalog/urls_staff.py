from django.urls import path

from . import staff_views

urlpatterns = [
    path("stats/", staff_views.catalog_stats_page, name="catalog-stats"),
]
