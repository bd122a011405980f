"""The applicant's consultations in the API, under /api/v1/me/."""

from rest_framework.routers import SimpleRouter

from .consultations import MyConsultationViewSet

router = SimpleRouter()
router.register("me/consultations", MyConsultationViewSet, basename="api-my-consultation")

urlpatterns = router.urls
