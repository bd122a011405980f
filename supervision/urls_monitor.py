"""Supervision pages: monitor."""

urlpatterns: list = []
