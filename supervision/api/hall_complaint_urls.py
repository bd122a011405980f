"""The applicant's complaint endpoints, mounted under /api/v1/me/ beside the hall's own."""

from rest_framework.routers import SimpleRouter

from .hall_complaints import MyComplaintViewSet

router = SimpleRouter()
router.register("complaints", MyComplaintViewSet, basename="api-me-complaint")

urlpatterns = [*router.urls]
