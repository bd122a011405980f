"""The public efficiency page of the online hall."""

urlpatterns: list = []
