"""Supervision pages: the monitoring room, its wall mode, the alerts."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.monitoring_room, name="supervision-room"),
    path("figures/", views.monitoring_room_figures, name="supervision-room-figures"),
    path("wall/", views.wall, name="supervision-wall"),
    path("wall/figures/", views.wall_figures, name="supervision-wall-figures"),
    path("alerts/", views.alert_list, name="supervision-alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="supervision-alert"),
    path(
        "alerts/<int:pk>/acknowledge/",
        views.alert_acknowledge_view,
        name="supervision-alert-acknowledge",
    ),
]
