"""The window's rating kiosk (电子评议器), under /kiosk/."""

urlpatterns: list = []
