"""The online hall's guides pages."""

urlpatterns: list = []
