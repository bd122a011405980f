"""Staff pages of complaints."""

urlpatterns: list = []
