"""The window's rating kiosk (电子评议器), under /kiosk/."""

from django.urls import path

from . import kiosk_views

urlpatterns = [
    path("", kiosk_views.bind, name="kiosk-bind"),
    path("<int:window_id>/", kiosk_views.window, name="kiosk-window"),
    path("<int:window_id>/current/", kiosk_views.current, name="kiosk-current"),
]
