"""The online hall's public pages."""

urlpatterns: list = []
