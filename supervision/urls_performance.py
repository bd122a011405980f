"""Staff pages of performance: the month's report, ranking and charts."""

from django.urls import path

from . import performance_views as views

urlpatterns = [
    path("performance/", views.performance_page, name="supervision-performance"),
    path("performance/charts/", views.performance_charts, name="supervision-performance-charts"),
    path(
        "performance/export.xlsx",
        views.performance_export,
        name="supervision-performance-export",
    ),
    path("performance/close/", views.performance_close, name="supervision-performance-close"),
]
