"""Supervision pages: exports."""

urlpatterns: list = []
