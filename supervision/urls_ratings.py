"""Staff pages of ratings, rectifications and appeals."""

urlpatterns: list = []
