from django.urls import path
from rest_framework.routers import SimpleRouter

from .cases import CaseViewSet, TrackView
from .joint import JointCaseViewSet
from .tokens import LogoutAllView, LogoutView, TokenView
from .views import WorkdaysView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("joint-cases", JointCaseViewSet, basename="api-joint-case")

urlpatterns = [
    path("calendar/workdays/", WorkdaysView.as_view(), name="calendar-workdays"),
    path("auth/token/", TokenView.as_view(), name="api-auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-auth-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-auth-logout-all"),
    path("track/", TrackView.as_view(), name="api-track"),
    *router.urls,
]
