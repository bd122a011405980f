"""The supervision API, under /api/v1/supervision/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .alerts import AlertViewSet
from .complaints import ComplaintViewSet
from .corrections import CorrectionViewSet
from .ratings import RatingViewSet, RectificationViewSet
from .reports import ReportCloseView, ReportView
from .urges import UrgeViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="api-alert")
# Urge notices (督办单) and corrections (纠错 / 问责).
router.register("urges", UrgeViewSet, basename="api-supervision-urge")
router.register("corrections", CorrectionViewSet, basename="api-supervision-correction")
router.register("complaints", ComplaintViewSet, basename="api-supervision-complaint")

# Ratings (好差评) and their rectifications (整改).
router.register("ratings", RatingViewSet, basename="api-supervision-rating")
router.register("rectifications", RectificationViewSet, basename="api-supervision-rectification")

urlpatterns = [
    *router.urls,
    # The performance report (绩效评估): a month's ranked lines, and closing a month.
    path("reports/", ReportView.as_view(), name="api-supervision-report"),
    path("reports/close/", ReportCloseView.as_view(), name="api-supervision-report-close"),
]
