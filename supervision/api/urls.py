"""The supervision API, under /api/v1/supervision/."""

from rest_framework.routers import SimpleRouter

from .alerts import AlertViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="api-alert")

urlpatterns = [*router.urls]
