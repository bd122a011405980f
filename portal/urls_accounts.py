"""The online hall's accounts pages."""

urlpatterns: list = []
