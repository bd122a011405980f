"""The supervision API, under /api/v1/supervision/."""

from rest_framework.routers import SimpleRouter

from .alerts import AlertViewSet
from .corrections import CorrectionViewSet
from .reports import ReportViewSet
from .urges import UrgeViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="api-alert")
# Urge notices (督办单) and corrections (纠错 / 问责).
router.register("urges", UrgeViewSet, basename="api-supervision-urge")
router.register("corrections", CorrectionViewSet, basename="api-supervision-correction")

# The performance report (绩效评估): a month's ranked lines, and closing a month.
router.register("reports", ReportViewSet, basename="api-supervision-report")

urlpatterns = [*router.urls]
