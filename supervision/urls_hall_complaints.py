"""Complaints in the online hall (网上投诉)."""

urlpatterns: list = []
