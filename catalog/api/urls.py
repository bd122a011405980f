from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CatalogStatsView, DepartmentListView, ItemViewSet

router = SimpleRouter()
router.register("items", ItemViewSet, basename="api-item")

urlpatterns = [
    *router.urls,
    path("departments/", DepartmentListView.as_view(), name="api-department-list"),
    path("catalog/stats/", CatalogStatsView.as_view(), name="api-catalog-stats"),
]
