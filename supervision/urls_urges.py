"""Supervision pages: urges."""

urlpatterns: list = []
